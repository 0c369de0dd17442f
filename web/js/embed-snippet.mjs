// embed-snippet.mjs: the playground's "Embed" button: the <iframe> snippet that shows the page's
// current config in embed.html (README "Teaching with nnplay"), copied to the clipboard. It only
// builds text from the page's URL; the hash is the playground's own, so the embed trains the same run.

// The snippet for a playground URL (its hash is the config); embed.html sits next to the page.
export function embedSnippet(pageHref, { view = 'map,loss', width = 640, height = 360 } = {}) {
  const url = new URL(pageHref);
  const hash = url.hash.replace(/^#/, '');
  const src = new URL(`embed.html#${hash}${hash ? '&' : ''}view=${view}`, url).href;
  const attr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${attr(src)}" width="${width}" height="${height}" title="nnplay: a neural network training" ` +
    'style="border: 1px solid #d9dde4; border-radius: 6px; max-width: 100%"></iframe>';
}

// Copies the snippet of the page at pageHref; show(title, lines) tells the user (or shows the
// snippet to copy by hand where the clipboard is not available).
export async function copyEmbedSnippet(pageHref, show) {
  const snippet = embedSnippet(pageHref);
  try {
    await navigator.clipboard.writeText(snippet);
    show('Embed snippet copied: paste it into your page (Reset in the embed returns to this config):', [snippet]);
  } catch {
    show('Copy this snippet into your page (the clipboard is not available here):', [snippet]);
  }
}
