// chart-marks.mjs: vertical marks on the loss and accuracy charts at the epochs where a setting was
// changed mid-run ("lr 0.03→0.1"), drawn by a small Chart.js plugin (no annotation library). The
// marks are the chart's data: charts.mjs holds the list and hands it to the plugin through the
// chart's options (plugins.marks.list), so a reset or an undo replaces them with the series.
//   mark = { x: epochs done (a fraction mid-epoch), label: short text }

const COLOR = '#7a4fb5';

// The plugin: a dashed line at each mark's x inside the plot area, its label at the top, turned to
// stay inside the plot when near the right edge; labels of marks close together step down a line.
export const marksPlugin = {
  id: 'marks',
  afterDatasetsDraw(chart, args, options) {
    const list = options?.list ?? [];
    if (!list.length) return;
    const { ctx, chartArea: area, scales: { x } } = chart;
    ctx.save();
    ctx.strokeStyle = COLOR;
    ctx.fillStyle = COLOR;
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    let lastRight = -Infinity, row = 0;
    for (const m of list) {
      const px = x.getPixelForValue(m.x);
      if (px < area.left - 0.5 || px > area.right + 0.5) continue;
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      if (!options.labels) continue;
      const w = ctx.measureText(m.label).width;
      const left = px + 3 + w > area.right ? px - 3 - w : px + 3;
      row = left < lastRight + 4 ? row + 1 : 0;
      lastRight = left + w;
      ctx.fillText(m.label, left, area.top + 2 + 13 * row);
    }
    ctx.restore();
  },
};
