import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessChecker, matchLabels } from '../../../src/cluster/auth/accessChecker.js';
import { builtinRoles } from '../../../src/cluster/auth/builtinRoles.js';
import type { Role } from '../../../src/shared/resources/types.js';

const A = 'arn:aws:iam::123456789012:role/A';
const B = 'arn:aws:iam::123456789012:role/B';
const role = (name: string, spec: Role['spec']): Role => ({ kind: 'role', version: 'v5', metadata: { name }, spec });
const aws = { name: 'aws', labels: {} };
const prod = { name: 'aws-prod', labels: { env: 'prod', team: 'payments' } };

test('label selectors', () => {
  assert.equal(matchLabels({ '*': '*' }, {}), true);
  assert.equal(matchLabels({}, { env: 'prod' }), false, 'an empty selector matches nothing');
  assert.equal(matchLabels({ env: '*' }, {}), false);
  assert.equal(matchLabels({ env: '*' }, { env: 'x' }), true);
  assert.equal(matchLabels({ env: 'pr*' }, { env: 'prod' }), true);
  assert.equal(matchLabels({ env: ['dev', 'prod'] }, { env: 'prod' }), true);
  assert.equal(matchLabels({ env: '^(dev|stage)$' }, { env: 'prod' }), false);
  assert.equal(matchLabels({ env: 'prod', team: 'ops' }, prod.labels), false, 'every key must match');
});

test('the access role grants the ARNs in the user\'s trait', () => {
  const c = new AccessChecker(builtinRoles.filter((r) => r.metadata.name === 'access'), { aws_role_arns: [A] });
  assert.deepEqual(c.awsRoleArnsForApp(aws), [A]);
  assert.equal(c.canUseAwsRole(aws, A), true);
  assert.equal(c.canUseAwsRole(aws, B), false);
  assert.equal(c.can('role', 'create'), false);
});

test('deny wins: by ARN and by app labels', () => {
  const allow = role('allow', { allow: { app_labels: { '*': '*' }, aws_role_arns: [A, B] } });
  const denyArn = role('deny-arn', { deny: { aws_role_arns: [B] } });
  const denyProd = role('deny-prod', { deny: { app_labels: { env: 'prod' } } });
  const c = new AccessChecker([allow, denyArn, denyProd], {});
  assert.deepEqual(c.awsRoleArns(), [A]);
  assert.deepEqual(c.awsRoleArnsForApp(aws), [A]);
  assert.equal(c.canAccessApp(prod), false);
  assert.deepEqual(c.awsRoleArnsForApp(prod), []);
});

test('ARNs come only from roles whose labels match the app', () => {
  const prodOnly = role('prod-only', { allow: { app_labels: { env: 'prod' }, aws_role_arns: [B] } });
  const c = new AccessChecker([prodOnly], {});
  assert.deepEqual(c.awsRoleArnsForApp(prod), [B]);
  assert.equal(c.canAccessApp(aws), false);
});

test('rules and max_session_ttl', () => {
  const editor = builtinRoles.find((r) => r.metadata.name === 'editor')!;
  const short = role('short', { options: { max_session_ttl: '1h' }, deny: { rules: [{ resources: ['user'], verbs: ['delete'] }] } });
  const c = new AccessChecker([editor, short], {});
  assert.equal(c.can('role', 'create'), true);
  assert.equal(c.can('user', 'delete'), false, 'a deny rule wins');
  assert.equal(c.maxSessionTtlMs(), 3_600_000);
  assert.equal(new AccessChecker([editor], {}).maxSessionTtlMs(), 30 * 3_600_000);
});
