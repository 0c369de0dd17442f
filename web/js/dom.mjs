// dom.mjs: the two small helpers the page's views share: el() builds an element, pct() prints a share.

// <tag> with properties (or attributes, for names that are not properties) and children.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

// 0.1234 -> "12.3%"; null or undefined (no value) -> "-".
export const pct = (v) => (v === null || v === undefined ? '-' : `${(100 * v).toFixed(1)}%`);
