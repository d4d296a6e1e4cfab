import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResourceFile } from '../../../src/shared/resources/checkResources.js';

const role = (extra: string) => `kind: role\nversion: v5\nmetadata:\n  name: r1\nspec:\n  allow:\n${extra}`;

test('the seed role and the templated users pass, with a warning for the guide\'s ARN typo', () => {
  const { resources, warnings } = parseResourceFile(
    `${role("    app_labels:\n      '*': '*'\n    aws_role_arns: ['{{internal.aws_role_arns}}']\n")}---\nkind: user\nversion: v2\nmetadata:\n  name: alice\nspec:\n  roles: ['r1']\n  traits:\n    aws_role_arns: ['arn:aws:iam:123456789000:role/role_for_alice']\n`,
    'a.yaml',
  );
  assert.equal(resources.length, 2);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /document 2 \(user "alice"\): trait aws_role_arns value "arn:aws:iam:123456789000:role\/role_for_alice" is not a valid IAM role ARN/);
});

test('bad input names the document, the field and the line', () => {
  const cases: Array<[string, RegExp]> = [
    ['kind: role\nversion: v5\nmetadata: {name: [x\n', /^a\.yaml:\d+: invalid YAML/],
    ['kind: robot\nversion: v1\nmetadata: {name: x}\n', /^a\.yaml:1: document 1 \(robot "x"\): unknown kind "robot"/],
    ['kind: role\nversion: v9\nmetadata: {name: x}\n', /^a\.yaml:2: document 1 \(role "x"\): "version" must be one of v5, v6, v7/],
    ['kind: user\nversion: v5\nmetadata: {name: x}\n', /^a\.yaml:2: document 1 \(user "x"\): "version" must be one of v2/],
    [role("    aws_role_arns:\n    - arn:aws:iam:123456789012:role/Typo\n"), /^a\.yaml:8: document 1 \(role "r1"\): field "spec\.allow\.aws_role_arns\.0": "arn:aws:iam:123456789012:role\/Typo" is not a valid IAM role ARN/],
    [role("    aws_role_arns: ['{{ldap.groups}}']\n"), /^a\.yaml:7: document 1 \(role "r1"\): field "spec\.allow\.aws_role_arns\.0": unknown template namespace "ldap"/],
    [role('    aws_rol_arns: []\n'), /^a\.yaml:7: document 1 \(role "r1"\): unknown key "aws_rol_arns" in "spec\.allow"/],
    ['kind: role\nversion: v5\nmetadata: {name: x}\nspec:\n  options: {max_session_ttl: soon}\n', /invalid max_session_ttl "soon"/],
    ['version: v5\nmetadata: {name: x}\n', /missing "kind"/],
    ['kind: lock\nversion: v1\nmetadata: {name: l}\nspec: {target: {user: a}}\n', /^a\.yaml:2: document 1 \(lock "l"\): "version" must be one of v2/],
    ['kind: lock\nversion: v2\nmetadata: {name: l}\n', /document 1 \(lock "l"\): .*"spec"/],
    ['kind: lock\nversion: v2\nmetadata: {name: l}\nspec:\n  target: {}\n', /^a\.yaml:5: document 1 \(lock "l"\): "spec\.target" needs exactly one of user and role/],
    ['kind: lock\nversion: v2\nmetadata: {name: l}\nspec:\n  target: {login: root}\n', /unknown key "login" in "spec\.target"/],
    ['kind: lock\nversion: v2\nmetadata: {name: l}\nspec:\n  target: {user: "not a name"}\n', /"spec\.target\.user" has an invalid value "not a name"/],
  ];
  for (const [text, re] of cases) assert.throws(() => parseResourceFile(text, 'a.yaml'), (e: any) => e.code === 'BAD_INPUT' && re.test(e.message), text);
});

test("a lock document in Teleport's shape passes", () => {
  const { resources } = parseResourceFile('kind: lock\nversion: v2\nmetadata:\n  name: dc7cee9d-fe5e-4534-a90d-db770f0234a1\nspec:\n  target:\n    role: contractor\n  message: "Suspicious activity."\n  expires: "2031-08-14T22:27:00Z"\n', 'a.yaml');
  assert.deepEqual(resources, [{ kind: 'lock', version: 'v2', metadata: { name: 'dc7cee9d-fe5e-4534-a90d-db770f0234a1' }, spec: { target: { role: 'contractor' }, message: 'Suspicious activity.', expires: '2031-08-14T22:27:00Z' } }]);
});

test('a second document with the same name is refused', () => {
  assert.throws(() => parseResourceFile(`${role('')}---\n${role('')}`, 'a.yaml'), /role "r1" appears twice/);
});
