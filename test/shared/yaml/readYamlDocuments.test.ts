/**
 * The YAML loader's refusals, each a TshError naming the file and, where
 * there is one, the line: syntax, nesting too deep for the parser, aliases
 * that are undefined or expand like a bomb, keys plain objects cannot hold,
 * and repeated keys (found in one pass: 100,000 keys are read in well under
 * a second, where the parser's own check took 90 s).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readYamlDocuments } from '../../../src/shared/yaml/readYamlDocuments.js';
import { validate } from '../../../src/shared/yaml/schema.js';
import { TshError } from '../../../src/shared/errors.js';

const refused = (text: string, message: RegExp) =>
  assert.throws(() => readYamlDocuments(text, 'f.yaml'), (err: unknown) => err instanceof TshError && err.code === 'BAD_INPUT' && message.test(err.message));

test('broken YAML is refused with the file, the line and the reason', () => {
  refused('a: [1, 2\n', /^f\.yaml:\d+: invalid YAML: /);
  refused(`a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, /^f\.yaml:1: invalid YAML: it is nested too deeply$/);
  refused('a: *nowhere\n', /^f\.yaml: invalid YAML: Unresolved alias .*nowhere/);
  const bomb = ['l0: &l0 [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]`)].join('\n');
  refused(bomb, /^f\.yaml: invalid YAML: its aliases expand to more than 100 copies \(an alias bomb\); write the values out instead$/);
  refused('a: 1\n? [b, c]\n: 2\n', /^f\.yaml:2: invalid YAML: a key must be a plain value, not a list or mapping$/);
  refused('a: 1\nb:\n  c: 1\n  c: 2\n', /^f\.yaml:4: invalid YAML: the key "c" appears twice in one mapping$/);
  refused('a: 1\n---\nb: *x\n', /^f\.yaml \(document 2\): invalid YAML: Unresolved alias/);
});

test('aliases that stay within bounds, and many keys, are read', () => {
  assert.deepEqual(readYamlDocuments('a: &a [1, 2]\nb: *a\n', 'f.yaml')[0].value, { a: [1, 2], b: [1, 2] });
  const many = Array.from({ length: 100_000 }, (_, i) => `k${i}: v`).join('\n');
  assert.equal(Object.keys(readYamlDocuments(many, 'f.yaml')[0].value as object).length, 100_000);
});

test('the schema knows only its own keys: prototype names are unknown keys, and __proto__ is no key of a dict', () => {
  const schema = { type: 'map', fields: { labels: { type: 'dict', of: { type: 'string' } } } } as const;
  const check = (text: string) => {
    const [doc] = readYamlDocuments(text, 'f.yaml');
    return validate(doc.value, schema, { file: 'f.yaml', doc });
  };
  for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) assert.throws(() => check(`${key}: 1\n`), new RegExp(`^TshError: f\\.yaml:1: unknown key "${key}"`), key);
  assert.throws(() => check("labels:\n  __proto__: x\n"), /^TshError: f\.yaml:2: "__proto__" cannot be a key in "labels"/);
  assert.deepEqual(check("labels:\n  constructor: x\n"), { labels: { constructor: 'x' } });
});
