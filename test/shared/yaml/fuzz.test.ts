/**
 * Properties of the YAML loader and the schema checks behind `tctl create`
 * and teleport.yaml (shared/yaml, shared/resources, cluster/config), over
 * text fast-check makes up from YAML's own tokens (anchors, aliases, tags,
 * flow and block collections, complex keys, directives, merge keys), from
 * values it serialises, and from the guide's documents with bytes changed:
 * each input is read or refused with a TshError, never any other error, and
 * within a bound of time however it nests, repeats or aliases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { readYamlDocuments } from '../../../src/shared/yaml/readYamlDocuments.js';
import { parseResourceFile } from '../../../src/shared/resources/checkResources.js';
import { parseTeleportConfig, withDefaults } from '../../../src/cluster/config/teleportConfig.js';
import { TshError } from '../../../src/shared/errors.js';
import { fuzzRuns, HANG_MS } from '../../helpers/fuzz.js';
import { seedAppServiceYaml } from '../../helpers/appService.js';

const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('kind', 'role', 'user', 'lock', 'version', 'v5', 'v2', 'v3', 'metadata', 'name', 'spec', 'allow', 'deny', 'app_labels', 'aws_role_arns', 'roles', 'traits', 'teleport', 'data_dir', 'app_service', 'apps', 'uri', 'enabled', 'yes', 'off', '__proto__', 'constructor', 'toString', '{{internal.aws_role_arns}}', '{{external.x}}', '{{', '}}') },
  { weight: 4, arbitrary: fc.constantFrom(': ', ':', '\n', '\n  ', '\n    ', '- ', '-', ' ', '\t', '[', ']', '{', '}', ',', '? ', '&a ', '*a', '&b ', '*b', '<<: ', '!!str ', '!!binary ', '!!map ', '!!seq ', '!!js/function ', '!custom ', "'", '"', '|\n', '>-\n', '#', '---\n', '...\n', '%YAML 1.1\n', '%TAG ! tag:x,2000:\n', '\\', '\r\n', '\u0000', '\ufeff', '\u2028') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const yamlish = fc.array(token, { maxLength: 80 }).map((t) => t.join(''));
/** Any value fast-check can build, written as YAML the way a program would (so most of them parse). */
const serialised = fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true }).map((v) => {
  try {
    return stringify(v);
  } catch {
    return '';
  }
});
const guideRole = `kind: role
version: v5
metadata:
  name: aws-dynamodb-access
spec:
  allow:
    app_labels:
      '*': '*'
    aws_role_arns:
    - arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole
    - '{{internal.aws_role_arns}}'
`;
const guideConfig = seedAppServiceYaml({ tokenFile: '/tmp/token', proxyAddr: 'teleport.example.com:3080', dataDir: '/var/lib/teleport' });
/** A guide document with a few bytes inserted, replaced or removed. */
const edited = (doc: string) =>
  fc.array(fc.tuple(fc.nat(doc.length), fc.nat(3), fc.oneof(token, fc.string({ maxLength: 3 }))), { minLength: 1, maxLength: 6 }).map((edits) =>
    edits.reduce((text, [at, drop, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + drop), doc),
  );
/** Nesting and repetition at sizes that break naive parsers: deep flow collections, many keys, many aliases. */
const big = fc.oneof(
  fc.integer({ min: 1, max: 5_000 }).map((n) => `a: ${'['.repeat(n)}${']'.repeat(n)}\n`),
  fc.integer({ min: 1, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => `k${i % 5000}: v`).join('\n')),
  fc.integer({ min: 1, max: 12 }).map((n) => ['l0: &l0 [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: n }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]`)].join('\n')),
  fc.integer({ min: 1, max: 2_000 }).map((n) => '---\n'.repeat(n)),
);
/** Mostly small inputs; one in fifty big (each of those takes a parser tens to hundreds of milliseconds). */
const anyText = fc.oneof(
  { weight: 10, arbitrary: yamlish },
  { weight: 10, arbitrary: serialised },
  { weight: 10, arbitrary: edited(guideRole) },
  { weight: 10, arbitrary: edited(guideConfig) },
  { weight: 10, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: big },
);

/** Runs `read` on `text`: it returns, or throws a TshError; and it does not take long. */
function readsOrRefuses(read: (text: string) => unknown, text: string): void {
  const started = performance.now();
  try {
    read(text);
  } catch (err) {
    assert.ok(err instanceof TshError, `threw ${(err as Error)?.stack ?? err}`);
    assert.ok(err.message.length > 0);
  }
  assert.ok(performance.now() - started < HANG_MS, `took ${Math.round(performance.now() - started)} ms`);
}

test('readYamlDocuments: any text is read or refused with a TshError, in bounded time', (t) => {
  fc.assert(fc.property(anyText, (text) => readsOrRefuses((x) => readYamlDocuments(x, 'fuzz.yaml'), text)), fuzzRuns(t));
});

test('tctl create: any resource file is checked or refused with a TshError, in bounded time', (t) => {
  fc.assert(fc.property(anyText, (text) => readsOrRefuses((x) => parseResourceFile(x, 'fuzz.yaml'), text)), fuzzRuns(t));
});

test('teleport.yaml: any config is read (with defaults) or refused with a TshError, in bounded time', (t) => {
  fc.assert(fc.property(anyText, (text) => readsOrRefuses((x) => withDefaults(parseTeleportConfig(x, 'teleport.yaml')), text)), fuzzRuns(t));
});
