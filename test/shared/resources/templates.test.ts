import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandTemplate, expandTemplates } from '../../../src/shared/resources/templates.js';

const traits = { aws_role_arns: ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'], team: ['dev'], empty: [] };

test('internal and external read traits; a list expands to several values', () => {
  assert.deepEqual(expandTemplate('{{internal.aws_role_arns}}', traits), ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b']);
  assert.deepEqual(expandTemplate('{{external.team}}', traits), ['dev']);
  assert.deepEqual(expandTemplate('{{ internal["team"] }}', traits), ['dev']);
});

test('templates inside a value', () => {
  assert.deepEqual(expandTemplate('arn:aws:iam::123456789012:role/{{internal.team}}-reader', traits), ['arn:aws:iam::123456789012:role/dev-reader']);
});

test('a missing or empty trait drops the entry', () => {
  assert.deepEqual(expandTemplate('{{internal.nope}}', traits), []);
  assert.deepEqual(expandTemplate('x-{{internal.empty}}', traits), []);
  assert.deepEqual(expandTemplates(['{{internal.nope}}', 'arn:aws:iam::1:role/a', '{{internal.aws_role_arns}}'], traits), ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b']);
});

test('literals pass through; unknown namespaces are errors', () => {
  assert.deepEqual(expandTemplate('arn:aws:iam::1:role/x', traits), ['arn:aws:iam::1:role/x']);
  assert.throws(() => expandTemplate('{{email.local(x)}}', traits), /unknown template namespace "email"/);
  assert.throws(() => expandTemplate('{{internal.}}', traits), /malformed template/);
});
