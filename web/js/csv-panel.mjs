// csv-panel.mjs: the "your CSV file" part of the data panel: the drop zone (a file dropped anywhere
// on the page counts too) and the file chooser, the target column choices (the file's header), and
// one line on the file: name, size, rows, task and classes, or why it was refused. It reads no file
// itself (the worker does) and validates nothing (the core does).

const kb = (n) => (n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : `${(n / 1e6).toFixed(1)} MB`);

// drop: the zone; fileInput: the chooser; target: the target <select>; summary: the line.
// onFile(File) for every file dropped or chosen.
export function createCsvPanel({ drop, fileInput, target, summary, onFile }) {
  const take = (file) => { if (file) onFile(file); };

  fileInput.addEventListener('change', () => {
    take(fileInput.files[0]);
    fileInput.value = '';
  });
  // Anywhere on the page: a dragged file must not make the browser leave the page.
  const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    drop.classList.add('over');
  });
  document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) drop.classList.remove('over'); });
  document.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    drop.classList.remove('over');
    take(e.dataTransfer.files[0]);
  });

  // The header's columns as the target choices (the chosen one selected).
  function setColumns(header, chosen) {
    const same = [...target.options].map((o) => o.value).join('\n') === header.join('\n');
    if (!same) {
      target.replaceChildren(...header.map((name, j) => {
        const o = document.createElement('option');
        o.value = name;
        o.textContent = `${j + 1}: ${name}`;
        return o;
      }));
    }
    target.value = chosen;
  }

  return {
    setColumns,
    // The file the trainer uses: { name, bytes, header, task, classes, classNames, rawNames } and
    // its split sizes { train, test }.
    showLive(meta, counts) {
      const what = meta.task === 'classification'
        ? `classification, ${meta.classes} classes (${meta.classNames.slice(0, 8).join(', ')}${meta.classes > 8 ? ', ...' : ''})`
        : 'regression';
      summary.classList.remove('error');
      summary.textContent = `${meta.name} (${kb(meta.bytes)}): ${counts.train + counts.test} rows ` +
        `(${counts.train} train, ${counts.test} test), ${meta.rawNames.length} feature ${meta.rawNames.length === 1 ? 'column' : 'columns'}, ${what}.`;
    },
    // A file opened but refused: its name and the reason; the session keeps the previous data.
    showRefused(name, message) {
      summary.classList.add('error');
      summary.textContent = `${name} refused: ${message}. Nothing changed; pick another target or fix the file.`;
    },
    showWaiting(text) {
      summary.classList.remove('error');
      summary.textContent = text;
    },
  };
}
