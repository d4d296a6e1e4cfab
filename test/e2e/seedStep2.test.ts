/**
 * The seed guide's step 2, verbatim, against a real cluster: an editor
 * creates the aws-dynamodb-access role (plain, then templated with users
 * alice and bob), adds it to their own roles with the guide's jq pipeline,
 * logs out and in (on the self-signed proxy, without --insecure the second
 * time), and sees it in `tsh status`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { repoRoot, runBin, runProgram, runShell } from '../helpers/binaries.js';

let cluster: TestCluster;
let user: Awaited<ReturnType<typeof userEnv>>;
const password = 'correct horse battery staple';

before(async () => {
  cluster = await startCluster();
  await addUser(cluster, 'carol', ['access', 'editor'], password);
  user = await userEnv({ PATH: `${join(repoRoot, 'bin')}:${process.env.PATH}` });
  const login = await tshLogin(user.env, cluster.proxyAddr, 'carol', password);
  assert.equal(login.code, 0, login.stderr);
});

after(async () => {
  await cluster?.close();
  await user?.cleanup();
});

const plainRole = `kind: role
version: v5
metadata:
  name: aws-dynamodb-access
spec:
  allow:
    app_labels:
      '*': '*'
    aws_role_arns:
    - arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole
`;

const templated = `kind: role
version: v5
metadata:
  name: aws-dynamodb-access
spec:
  allow:
    app_labels:
      '*': '*'
    aws_role_arns: ['{{internal.aws_role_arns}}']
---
kind: user
version: v2
metadata:
  name: alice
spec:
  roles: ['aws-dynamodb-access']
  traits:
    aws_role_arns: ['arn:aws:iam:123456789000:role/role_for_alice']
---
kind: user
version: v2
metadata:
  name: bob
spec:
  roles: ['aws-dynamodb-access']
  traits:
    aws_role_arns: ['arn:aws:iam:123456789000:role/role_for_bob']
`;

test('step 2 of the guide works word for word', async () => {
  await writeFile(join(user.home, 'aws-dynamodb-access.yaml'), plainRole);
  await writeFile(join(user.home, 'templated.yaml'), templated);
  const sh = (script: string) => runShell(script, { env: user.env, cwd: user.home });

  const status = await sh('tctl status');
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^Cluster\s+test\.example\.com$/m);
  assert.match(status.stdout, /^CA pin\s+sha256:[0-9a-f]{64}$/m);

  const created = await sh('tctl create -f aws-dynamodb-access.yaml');
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /role "aws-dynamodb-access" has been created/);

  const tmpl = await sh('tctl create -f templated.yaml');
  assert.equal(tmpl.code, 0, tmpl.stderr);
  assert.match(tmpl.stdout, /role "aws-dynamodb-access" has been updated/);
  assert.match(tmpl.stdout, /user "alice" has been created/);
  assert.match(tmpl.stdout, /user "bob" has been created/);
  // The guide's ARNs have one colon too few: accepted, with a warning naming the value.
  assert.match(tmpl.stderr, /arn:aws:iam:123456789000:role\/role_for_alice.*not a valid IAM role ARN/);
  assert.match(tmpl.stderr, /role_for_bob/);

  const role = await sh('tctl get role/aws-dynamodb-access --format json');
  assert.deepEqual(JSON.parse(role.stdout)[0].spec.allow.aws_role_arns, ['{{internal.aws_role_arns}}']);

  const update = await sh(`ROLES=$(tsh status -f json | jq -r '.active.roles | join(",")')
tctl users update $(tsh status -f json | jq -r '.active.username') \\
--set-roles "\${ROLES?},aws-dynamodb-access"`);
  assert.equal(update.code, 0, update.stderr);
  assert.match(update.stdout, /New roles: access,editor,aws-dynamodb-access/);

  // The certificate still carries the old roles until the user logs in again.
  const before = JSON.parse((await sh('tsh status -f json')).stdout);
  assert.deepEqual(before.active.roles, ['access', 'editor']);

  // As the guide writes it, with no --insecure: the self-signed proxy is verified with the
  // cluster CA that the first `tsh login --insecure` saved, which `tsh logout` keeps.
  const relogin = await runProgram('bash', ['-c', `tsh logout && tsh login --proxy=${cluster.proxyAddr} --user=carol`], { env: user.env, cwd: user.home, input: `${password}\n` });
  assert.equal(relogin.code, 0, relogin.stderr);
  assert.doesNotMatch(relogin.stderr, /insecure/);
  const after = await runBin('tsh', ['status'], { env: user.env });
  assert.equal(after.code, 0, after.stderr);
  assert.match(after.stdout, /Roles:\s+access, editor, aws-dynamodb-access/);
  const json = JSON.parse((await sh('tsh status -f json')).stdout);
  assert.equal(json.active.username, 'carol');
  assert.equal(json.active.cluster, 'test.example.com');
  assert.equal(json.active.profile_url, `https://${cluster.proxyAddr}`);
  assert.ok(Date.parse(json.active.valid_until) > Date.now() + 11 * 3600_000, 'a 12h login by default');
});
