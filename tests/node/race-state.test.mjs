// race-state.test.mjs: the race as URL state (web/js/race-state.mjs) on the core's schema: the race key
// is page state that parseHash leaves alone, every value is checked by its schema row, errors are one
// line in the page's words, variants are the config with one field changed and named by it, and the
// classic races are valid races.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from './_helpers.mjs';
import { installSchema, parseHash, sameConfig } from '../../web/js/state.mjs';
import { CLASSIC_RACES, parseRace, raceHashPart, raceText, raceVariants } from '../../web/js/race-state.mjs';

before(async () => installSchema((await engine()).schema));

test('race= is page state: parseHash ignores it, raceText reads it, raceHashPart writes it back', () => {
  const hash = '#data=xor&lr=0.1&race=opt:sgd,momentum,adam';
  const { config, messages } = parseHash(hash);
  assert.deepEqual(messages, []);
  assert.ok(sameConfig(config, parseHash('#data=xor&lr=0.1').config));
  const { spec, error } = parseRace(raceText(hash));
  assert.equal(error, '');
  assert.deepEqual(spec, { key: 'opt', values: ['sgd', 'momentum', 'adam'] });
  assert.equal(raceHashPart(spec), '&race=opt:sgd,momentum,adam');
  assert.deepEqual(parseRace(raceText('#data=xor')), { spec: null, error: '' });
});

test('a bad race is one line naming the field, what is allowed and that there is no race', () => {
  const cases = {
    'opt:sgd,rmsprop': /^URL: race=opt:sgd,rmsprop: "rmsprop" is not allowed for Optimizer \(one of sgd, momentum, adam\); no race\.$/,
    'lr:0.1,0': /"0" is not allowed for Learning rate \(a number > 0 and <= 10\)/,
    'batch:1,-2': /"-2" is not allowed for Batch size \(0 = full\)/,
    'activation:relu,softmax': /"softmax" is not allowed for Hidden activation \(one of /,
    'lr:0.1': /2 to 4 values are needed, not 1/,
    'lr:1,2,3,4,5': /2 to 4 values are needed, not 5/,
    'lr:0.1,0.10': /the values must differ \("0.10" twice\)/,
    'seed:1,2': /"seed" cannot be raced/,
    'opt=sgd,adam': /write it as <field>:<value>,<value>/,
    'lr:0.1,': /"" is not allowed for Learning rate/,
  };
  for (const [text, re] of Object.entries(cases)) {
    const { spec, error } = parseRace(text);
    assert.equal(spec, null, text);
    assert.match(error, re, text);
    assert.ok(!error.includes('\n'), text);
  }
  assert.match(parseRace('lr:x,1', 'Race').error, /^Race: lr:x,1: "x" is not allowed/);
});

test('variants: the config with one field changed, named by what differs', () => {
  const base = parseHash('#data=spiral&hidden=8:relu,8:tanh&opt=sgd&lr=0.03&batch=10').config;
  const names = (text) => raceVariants(parseRace(text).spec, base).variants.map((v) => v.name);
  assert.deepEqual(names('opt:sgd,momentum,adam'), ['SGD', 'SGD + momentum', 'Adam']);
  assert.deepEqual(names('lr:0.003,0.03,0.3,3'), ['lr 0.003', 'lr 0.03', 'lr 0.3', 'lr 3']);
  assert.deepEqual(names('batch:1,32,0'), ['batch 1', 'batch 32', 'full batch']);
  assert.deepEqual(names('init:xavier_normal,he_normal'), ['Xavier normal', 'He normal']);
  const { variants } = raceVariants(parseRace('activation:relu,sigmoid').spec, base);
  assert.deepEqual(variants[1].config.network.layers.map((l) => l.activation), ['sigmoid', 'sigmoid', 'sigmoid']);
  const lr = raceVariants(parseRace('lr:0.003,0.3').spec, base).variants;
  assert.deepEqual(lr.map((v) => v.config.optimizer.learning_rate), [0.003, 0.3]);
  assert.ok(sameConfig({ ...lr[0].config, optimizer: base.optimizer }, base), 'nothing else changes');
  const none = raceVariants(parseRace('activation:relu,tanh').spec, parseHash('#data=xor&hidden=').config);
  assert.match(none.error, /the network has no hidden layer/);
});

test('the classic races are valid races on the default network', () => {
  const base = parseHash('').config;
  for (const r of CLASSIC_RACES) {
    const text = raceHashPart(r.spec).slice('&race='.length);
    assert.deepEqual(parseRace(text).spec, r.spec, r.label);
    const { variants, error } = raceVariants(r.spec, r.base(base));
    assert.equal(error, '', r.label);
    assert.ok(variants.length >= 2 && variants.length <= 4, r.label);
  }
  const deep = CLASSIC_RACES.find((r) => r.id === 'init').base(base);
  assert.deepEqual(deep.network.layers.slice(0, -1), Array.from({ length: 6 }, () => ({ units: 16, activation: 'relu' })));
});
