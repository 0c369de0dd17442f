#!/usr/bin/env node
// lessons.mjs: turns the lesson files web/lessons/*.md into dist/lessons/<slug>.html plus an index,
// at build time. Formulas are typeset here with KaTeX (the page needs only KaTeX's CSS and fonts,
// copied to dist/vendor/katex/), so a lesson works offline and runs no script of its own; its live
// parts are iframes of ../embed.html. It is not a general Markdown converter: it knows the small
// format below, and a lesson outside it fails the build with the file and line.
//
// A lesson file (web/lessons/<slug>.md; files starting with _ are skipped):
//   ---
//   title: Forward propagation          (required)
//   order: 1                            (required: its place in the index)
//   summary: One line for the index.    (required)
//   ---
//   Paragraphs separated by blank lines; `## Heading`, `### Heading`; lists of `- item` or `1. item`;
//   inline **bold**, *italic*, `code`, [text](url), $inline math$; a line `$$` ... `$$` around
//   display math. Three blocks, each closed by a line `:::`:
//   ::: embed <playground hash>[&view=map,loss,acc][&controls=lr,...][&height=320]
//   caption (Markdown)                  a live view: iframe of ../embed.html#<hash>, with a link
//   :::                                 that opens the same config in the full playground
//   ::: try                             a "Try this" box: what to do and what the learner will see
//   :::
//   ::: slot <title>                    a marked place for a view that does not exist yet
//   :::
import { readFileSync, readdirSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EMBED_KEYS = ['view', 'controls', 'origin', 'height'];

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function loadKatex(root) {
  return createRequire(join(root, 'package.json'))('katex');
}

// ---- Markdown subset ----
function inline(text, ctx) {
  const held = [];
  const hold = (html) => `\u0000${held.push(html) - 1}\u0000`;
  let s = text
    .replace(/`([^`]+)`/g, (_, c) => hold(`<code>${esc(c)}</code>`))
    .replace(/\$([^$]+)\$/g, (_, tex) => hold(ctx.math(tex, false)));
  s = esc(s)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, t, u) => `<a href="${u}">${t}</a>`);
  // eslint-disable-next-line no-control-regex -- NUL marks the held spans (text never holds one)
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => held[Number(i)]);
}

// Splits the playground hash of an embed line from the lesson-only keys (height) and the embed keys.
function embedParts(spec) {
  const parts = spec.replace(/^#/, '').split('&').filter(Boolean);
  const own = Object.fromEntries(parts.filter((p) => EMBED_KEYS.includes(p.split('=')[0])).map((p) => p.split('=')));
  const config = parts.filter((p) => !EMBED_KEYS.includes(p.split('=')[0]));
  const embedHash = parts.filter((p) => !p.startsWith('height=')).join('&');
  return { height: Number(own.height) || 340, embedHash, playground: config.join('&') };
}

function embedBlock(spec, caption, ctx) {
  if (!spec.startsWith('#')) ctx.fail('::: embed needs a playground hash, e.g. ::: embed #data=xor&lr=0.1');
  const { height, embedHash, playground } = embedParts(spec);
  ctx.embeds.push(playground);
  const title = caption.replace(/[$*`[\]()]/g, '').slice(0, 80) || 'nnplay view';
  return `<figure class="lesson-embed">\n<iframe src="../embed.html#${esc(embedHash)}" title="${esc(title)}" height="${height}"></iframe>\n` +
    `<figcaption>${inline(caption, ctx)} <a class="open" href="../index.html#${esc(playground)}" target="_blank" rel="noopener">Open in the playground</a></figcaption>\n</figure>`;
}

// Markdown lines -> HTML. ctx: { math(tex, display), fail(message), embeds: [] }.
function blocks(lines, ctx) {
  const out = [];
  let i = 0;
  const para = [];
  const flush = () => { if (para.length) out.push(`<p>${inline(para.join(' '), ctx)}</p>`); para.length = 0; };
  while (i < lines.length) {
    const line = lines[i];
    ctx.line = i;
    if (/^\s*$/.test(line)) { flush(); i++; continue; }
    const fence = /^:::\s*(embed|try|slot)\s*(.*)$/.exec(line);
    if (fence) {
      flush();
      const start = i;
      const body = [];
      for (i++; i < lines.length && lines[i].trim() !== ':::'; i++) body.push(lines[i]);
      if (i >= lines.length) { ctx.line = start; ctx.fail(`::: ${fence[1]} is not closed by a line :::`); }
      i++;
      const [kind, arg] = [fence[1], fence[2].trim()];
      if (kind === 'embed') out.push(embedBlock(arg, body.join(' ').trim(), ctx));
      else if (kind === 'try') out.push(`<aside class="try"><h3>Try this</h3>\n${blocks(body, ctx)}\n</aside>`);
      else out.push(`<aside class="slot"><h3>${inline(arg || 'Coming later', ctx)}</h3>\n${blocks(body, ctx)}\n</aside>`);
      continue;
    }
    if (line.trim() === '$$') {
      flush();
      const body = [];
      const start = i;
      for (i++; i < lines.length && lines[i].trim() !== '$$'; i++) body.push(lines[i]);
      if (i >= lines.length) { ctx.line = start; ctx.fail('$$ is not closed by a line $$'); }
      ctx.line = start;
      out.push(`<div class="math">${ctx.math(body.join('\n'), true)}</div>`);
      i++;
      continue;
    }
    const h = /^(#{2,3})\s+(.*)$/.exec(line);
    if (h) { flush(); out.push(`<h${h[1].length}>${inline(h[2], ctx)}</h${h[1].length}>`); i++; continue; }
    const item = /^(-|\d+\.)\s+/.exec(line);
    if (item) {
      flush();
      const tag = item[1] === '-' ? 'ul' : 'ol';
      const items = [];
      while (i < lines.length && /^(-|\d+\.)\s+/.test(lines[i])) {
        let text = lines[i].replace(/^(-|\d+\.)\s+/, '');
        for (i++; i < lines.length && /^\s{2,}\S/.test(lines[i]); i++) text += ' ' + lines[i].trim();   // continuation lines
        items.push(`<li>${inline(text, ctx)}</li>`);
      }
      out.push(`<${tag}>\n${items.join('\n')}\n</${tag}>`);
      continue;
    }
    para.push(line.trim());
    i++;
  }
  flush();
  return out.join('\n');
}

// Reads one lesson file -> { slug, title, order, summary, html, embeds }.
export function parseLesson(file, katex) {
  const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const slug = basename(file, '.md');
  const fail = (message, line) => { throw new Error(`lessons: ${file}${line === undefined ? '' : `:${line}`}: ${message}`); };
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m) fail('must start with a front matter block between --- lines (title, order, summary)');
  const meta = {};
  for (const line of m[1].split('\n')) {
    const kv = /^(\w+):\s*(.*)$/.exec(line);
    if (!kv) fail(`front matter: "${line}" is not key: value`);
    meta[kv[1]] = kv[2].trim().replace(/^"(.*)"$/, "$1");
  }
  for (const key of ['title', 'order', 'summary']) if (!meta[key]) fail(`front matter: ${key} is missing`);
  if (!Number.isFinite(Number(meta.order))) fail(`front matter: order: "${meta.order}" is not a number`);
  const offset = m[1].split('\n').length + 2;   // lines before the body, for error line numbers
  const ctx = {
    embeds: [],
    line: 0,
    fail: (message) => fail(message, ctx.line + offset + 1),
    math(tex, displayMode) {
      try {
        return katex.renderToString(tex, { displayMode, throwOnError: true, output: 'htmlAndMathml' });
      } catch (e) {
        return ctx.fail(`math: ${e.message.split('\n')[0]}`);
      }
    },
  };
  const html = blocks(text.slice(m[0].length).split('\n'), ctx);
  return { slug, title: meta.title, order: Number(meta.order), summary: meta.summary, html, embeds: ctx.embeds };
}

// A lesson runs no script: its formulas are typeset at build time and its live parts are iframes of
// ../embed.html (which has its own policy). KaTeX's fonts and styles come from this site.
export const LESSON_CSP = "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

const head = (title, depth) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${LESSON_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${depth}vendor/katex/katex.min.css">
<link rel="stylesheet" href="${depth}lessons/lessons.css">
</head>
<body>`;

function lessonPage(lesson, prev, next) {
  const playground = lesson.embeds[0] ? `../index.html#${esc(lesson.embeds[0])}` : '../index.html';
  const nav = (l, rel) => (l ? `<a href="${l.slug}.html" rel="${rel}">${rel === 'prev' ? '← ' : ''}${esc(l.title)}${rel === 'next' ? ' →' : ''}</a>` : '<span></span>');
  return `${head(`${lesson.title}: nnplay lessons`, '../')}
<!-- Built by scripts/lessons.mjs from web/lessons/${lesson.slug}.md: edit that file, not this one. -->
<header class="top"><a href="index.html">nnplay lessons</a><a href="${playground}">Open the playground</a></header>
<main class="lesson">
<h1>${esc(lesson.title)}</h1>
${lesson.html}
</main>
<nav class="pager">${nav(prev, 'prev')}${nav(next, 'next')}</nav>
</body>
</html>
`;
}

function indexPage(lessons) {
  const items = lessons.map((l) => `<li><a href="${l.slug}.html">${esc(l.title)}</a><p>${esc(l.summary)}</p></li>`).join('\n');
  return `${head('nnplay lessons', '../')}
<header class="top"><a href="../index.html">nnplay playground</a></header>
<main class="lesson">
<h1>Lessons</h1>
<p>Short lessons on the foundations of neural networks, each with live networks to train in the page.
The notation is the classic NumPy exercise's: samples are rows of $X$, $Z_1 = X W_1 + b_1$, $A_1 = f(Z_1)$.</p>
<ol class="lesson-list">
${items}
</ol>
</main>
</body>
</html>
`;
}

// Builds every lesson of `dir` into `out` (dist/lessons). Returns the lessons in order.
export function buildLessons({ root = ROOT, dir = join(root, 'web', 'lessons'), out }) {
  const katex = loadKatex(root);
  const files = readdirSync(dir).filter((n) => n.endsWith('.md') && !n.startsWith('_')).sort();
  const lessons = files.map((f) => parseLesson(join(dir, f), katex)).sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
  mkdirSync(out, { recursive: true });
  lessons.forEach((l, i) => writeFileSync(join(out, `${l.slug}.html`), lessonPage(l, lessons[i - 1], lessons[i + 1])));
  // The index's one formula, typeset like the lessons'.
  const index = indexPage(lessons).replace(/\$([^$]+)\$/g, (_, tex) => katex.renderToString(tex, { throwOnError: true }));
  writeFileSync(join(out, 'index.html'), index);
  cpSync(join(dir, 'lessons.css'), join(out, 'lessons.css'));
  return lessons;
}

// KaTeX's stylesheet and fonts, for pages with typeset formulas (dist/vendor/katex/).
export function copyKatex({ root = ROOT, out }) {
  const dist = join(dirname(createRequire(join(root, 'package.json')).resolve('katex/package.json')), 'dist');
  mkdirSync(out, { recursive: true });
  cpSync(join(dist, 'katex.min.css'), join(out, 'katex.min.css'));
  cpSync(join(dist, 'fonts'), join(out, 'fonts'), { recursive: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : join(ROOT, 'dist', 'lessons');
  try {
    const lessons = buildLessons({ out });
    console.log(`lessons: wrote ${lessons.length} lessons to ${out}`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
