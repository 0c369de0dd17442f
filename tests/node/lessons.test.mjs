// lessons.test.mjs: the lesson files of web/lessons/ build (scripts/lessons.mjs), a malformed one is
// refused with its file and line, and every number a "Try this" prompt promises holds for the
// lesson's own configs: each check below reads the config from the lesson file (so editing a view
// re-checks its prompt), applies the prompt's changes as the embed's controls would, and trains it
// on the real wasm build.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { buildLessons, parseLesson } from '../../scripts/lessons.mjs';
import { applyFields, installSchema, parseHash } from '../../web/js/state.mjs';
import { toCoreConfig } from '../../web/js/datasets.mjs';
import { engine, requireBuild } from './_helpers.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const LESSONS = join(ROOT, 'web', 'lessons');
const katex = (await import('katex')).default;

// The playground hash of view `index` of a lesson.
const viewHash = (slug, index) => `#${parseLesson(join(LESSONS, `${slug}.md`), katex).embeds[index]}`;

describe('lesson files', () => {
  test('every lesson builds, in order, with typeset formulas and at least one view', () => {
    const out = mkdtempSync(join(tmpdir(), 'nnplay-lessons-'));
    try {
      const lessons = buildLessons({ root: ROOT, out });
      assert.ok(lessons.length >= 7);
      assert.deepEqual(lessons.map((l) => l.order), [...lessons.map((l) => l.order)].sort((a, b) => a - b));
      for (const l of lessons) {
        assert.ok(l.embeds.length >= 1, `${l.slug} has a view`);
        const html = readFileSync(join(out, `${l.slug}.html`), 'utf8');
        assert.match(html, /class="katex"/);
        assert.doesNotMatch(html, /katex-error/);
        assert.match(html, /<aside class="try">/);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('a malformed lesson is refused with its file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnplay-bad-lesson-'));
    const file = join(dir, 'bad.md');
    const write = (body, meta = 'title: Bad\norder: 1\nsummary: s') => writeFileSync(file, `---\n${meta}\n---\n${body}`);
    try {
      write('Text.\n\n$$\n\\frac{1}{\n$$\n');
      assert.throws(() => parseLesson(file, katex), /bad\.md:8: math: KaTeX parse error/);
      write('Text.\n\n::: try\nNever closed.\n');
      assert.throws(() => parseLesson(file, katex), /bad\.md:8: ::: try is not closed/);
      write('::: embed data=xor\ncaption\n:::\n');
      assert.throws(() => parseLesson(file, katex), /bad\.md:6: ::: embed needs a playground hash/);
      write('Text.', 'title: Bad\norder: 1');
      assert.throws(() => parseLesson(file, katex), /bad\.md: front matter: summary is missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('"Try this" prompts say what happens', () => {
  let eng;
  before(async () => {
    requireBuild();
    eng = await engine();
    installSchema(eng.schema);   // the URL fields and datasets come from the core's table
  });

  // Per-epoch metrics of a lesson view after the changes a prompt asks for ({ key: text } fields,
  // applied one after the other like the embed's controls; `activation` sets every hidden layer).
  function train(slug, index, changes = [], epochs = null) {
    let config = parseHash(viewHash(slug, index)).config;
    for (const [key, text] of changes) {
      const fields = key === 'activation'
        ? { hidden: config.network.layers.slice(0, -1).map((l) => `${l.units}:${text}`).join(',') } : { [key]: text };
      const r = applyFields(config, fields, 'Control');
      assert.deepEqual(r.messages, []);
      config = r.config;
    }
    const t = eng.createTrainer(toCoreConfig(config));
    try {
      return t.trainEpochs(epochs ?? config.epochs);
    } finally {
      t.free();
    }
  }
  const at = (metrics, epoch) => metrics[epoch - 1];
  const firstBelow = (metrics, v) => metrics.find((m) => m.loss < v)?.epoch ?? Infinity;

  test('forward propagation', () => {
    const line = train('forward-propagation', 0);
    assert.ok(Math.abs(at(line, 200).loss - Math.LN2) < 0.01 && at(line, 200).accuracy < 0.6, 'a line cannot solve XOR');
    assert.equal(at(train('forward-propagation', 0, [['feat', 'x1,x2,x1*x2']], 10), 10).accuracy, 1);
    assert.ok(at(train('forward-propagation', 1, [], 50), 50).loss < 0.14);
    assert.ok(at(train('forward-propagation', 1, [['hidden', '1:tanh']]), 200).loss > 0.5);
  });

  test('backpropagation', () => {
    const slow = train('backpropagation', 0, [], 5).map((m) => Number(m.loss.toFixed(3)));
    assert.deepEqual(slow, [0.721, 0.717, 0.712, 0.708, 0.704]);
    assert.ok(at(train('backpropagation', 0, [['lr', '1']], 5), 5).loss < 0.2);
    const fast = train('backpropagation', 0, [['lr', '3']], 5);
    assert.equal(at(fast, 4).loss.toFixed(3), '0.092');
    assert.equal(at(fast, 5).loss.toFixed(3), '0.149');
  });

  test('activation functions', () => {
    assert.ok(train('activation-functions', 0).every((m) => m.loss > 0.68 && m.loss < 0.76), 'six sigmoid layers stay at ln 2');
    assert.ok(at(train('activation-functions', 0, [['activation', 'tanh']], 10), 10).loss < 0.01);
    assert.ok(at(train('activation-functions', 0, [['activation', 'relu']], 10), 10).loss < 0.02);
    assert.ok(at(train('activation-functions', 1, [], 50), 50).accuracy > 0.98);
  });

  test('loss functions', () => {
    const mse = train('loss-functions', 0);
    assert.ok(Math.abs(at(mse, 1).loss - 0.64) < 0.02 && at(mse, 50).loss < 0.03);
    const noisy = train('loss-functions', 0, [['noise', '0.5']]);
    assert.ok(Math.abs(at(noisy, 200).loss - 0.26) < 0.02, `noise floor ${at(noisy, 200).loss}`);
    const cce = train('loss-functions', 1);
    assert.ok(Math.abs(at(cce, 1).loss - 1.09) < 0.01 && at(cce, 200).loss < 0.15);
  });

  test('initialisation', () => {
    const xavier = train('initialisation', 0);
    assert.ok(xavier.slice(0, 60).every((m) => m.loss > 1.0), 'Xavier: above 1.0 for 60 epochs');
    assert.ok(Math.abs(firstBelow(xavier, 0.5) - 190) <= 5, `Xavier below 0.5 at ${firstBelow(xavier, 0.5)}`);
    const he = train('initialisation', 0, [['init', 'he_normal']]);
    assert.ok(firstBelow(he, 0.5) <= 75 && firstBelow(he, 0.05) === 150);
  });

  test('optimisation', () => {
    assert.ok(at(train('optimisation', 0), 200).loss > 0.5, 'SGD');
    assert.ok(at(train('optimisation', 0, [['opt', 'momentum']], 100), 100).loss < 0.2, 'momentum');
    const adam = train('optimisation', 0, [['opt', 'adam'], ['lr', '0.01']]);
    assert.ok(at(adam, 100).loss < 0.12 && Math.abs(at(adam, 200).loss - 0.02) < 0.01, 'Adam');
  });

  test('the classic network', () => {
    const seed = train('classic-numpy-network', 0);
    assert.equal(at(seed, 1).loss.toFixed(3), (3 * 0.5283).toFixed(3));
    assert.equal(at(seed, 11).loss.toFixed(3), (3 * 0.4148).toFixed(3));
    assert.ok(Math.abs(at(seed, 100).loss - 1.006) < 0.001 && Math.abs(at(seed, 100).accuracy - 0.45) < 0.01);
    const deeper = train('classic-numpy-network', 0, [['hidden', '64:relu,64:relu'], ['opt', 'adam'], ['lr', '0.01'], ['epochs', '1000']], 300);
    assert.ok(deeper.some((m) => m.accuracy > 0.95));
  });
});
