/**
 * The committed completion scripts in real bash, zsh and fish: subcommands,
 * aliases, flags, option choices, app and role names from a TELEPORT_HOME
 * written here, files, and `tsh aws` handing its words to the aws CLI's
 * completion. Every shell must offer exactly the expected words.
 * (`npm test` builds bin/tsh first; the scripts call `tsh __complete`.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCompleter, awsCompletionSetup, complete, noAwsCompletionSetup, shellPaths, type ShellName } from './shellDrivers.js';
import { arns, makeTeleportHome, type FixtureHome } from './teleportHomeFixture.js';

interface Case {
  line: string;
  expect: string[];
}

const formats = ['text', 'json', 'yaml'];
const cases: Case[] = [
  { line: 'tsh ap', expect: ['apps'] },
  { line: 'tsh apps lo', expect: ['login', 'logout'] },
  { line: 'tsh app lo', expect: ['login', 'logout'] },
  { line: 'tsh proxy ', expect: ['aws', 'help'] },
  { line: 'tsh st', expect: ['status'] },
  { line: 'tsh help ', expect: ['apps', 'aws', 'completion', 'login', 'logout', 'proxy', 'status', 'version'] },
  { line: 'tsh completion ', expect: ['bash', 'fish', 'powershell', 'zsh'] },
  // Roles of every app: the name ReadOnly is in two accounts, so only its ARNs are offered.
  { line: 'tsh apps login --aws-role ', expect: ['ExampleTeleportDynamoDBRole', 'Admin', arns.dynamo, arns.readOnlyDev, arns.readOnlyProd, arns.adminProd] },
  // Roles of the app named on the line.
  { line: 'tsh apps login aws-prod --aws-role ', expect: ['ReadOnly', 'Admin', arns.readOnlyProd, arns.adminProd] },
  { line: 'tsh apps login --aws-role arn:aws:iam::9', expect: [arns.readOnlyProd, arns.adminProd] },
  { line: 'tsh apps login --aws-role Ex', expect: ['ExampleTeleportDynamoDBRole'] },
  { line: 'tsh apps login ', expect: ['aws', 'aws-prod'] },
  { line: 'tsh apps login --aws-role Admin ', expect: ['aws', 'aws-prod'] },
  // Logout and config act on the apps logged into.
  { line: 'tsh apps logout ', expect: ['aws'] },
  { line: 'tsh apps config ', expect: ['aws'] },
  { line: 'tsh proxy aws --app ', expect: ['aws'] },
  { line: 'tsh aws --app ', expect: ['aws'] },
  { line: 'tsh status -f ', expect: formats },
  { line: 'tsh status --format ', expect: formats },
  { line: 'tsh status --format=', expect: formats.map((f) => `--format=${f}`) },
  { line: 'tsh apps config -f ', expect: ['text', 'uri', 'ca', 'cert', 'key', 'curl', 'json', 'yaml'] },
  { line: 'tsh proxy aws -f p', expect: ['powershell'] },
  { line: 'tsh version -f ', expect: ['text', 'json'] },
  { line: 'tsh apps login --aw', expect: ['--aws-role'] },
  // After `tsh aws`, only its own flags are tsh's, and none once the aws command has begun.
  { line: 'tsh aws -', expect: ['--app', '-e', '--endpoint-url', '--exec', '-h', '--help'] },
  { line: 'tsh aws s3 --', expect: [] },
  // `tsh aws console` is tsh's own: its flags and values.
  { line: 'tsh aws console --pri', expect: ['--print'] },
  { line: 'tsh aws console --aws-role Ex', expect: ['ExampleTeleportDynamoDBRole'] },
  { line: 'tsh aws --app aws console --app ', expect: ['aws'] },
  { line: 'tctl us', expect: ['users'] },
  { line: 'tctl users ', expect: ['add', 'help', 'ls', 'reset', 'rm', 'update'] },
  { line: 'tctl users ls -f ', expect: formats },
  { line: 'tctl get -f ', expect: ['yaml', 'json', 'text'] },
  { line: 'tctl create ', expect: ['roles.yaml'] },
  { line: 'tctl create --c', expect: ['--config'] },
];

/** With the aws CLI's own completion loaded, `tsh aws` hands it the aws command line. */
const passThroughCases: Case[] = [
  { line: 'tsh aws dynamo', expect: ['dynamodb', 'dynamodbstreams'] },
  { line: 'tsh aws --app aws dynamodb list-t', expect: ['list-tables', 'list-tags-of-resource'] },
  { line: 'tsh aws s3 --re', expect: ['--region'] },
  // The first word is either program's: tsh's `console` next to the aws CLI's services.
  { line: 'tsh aws conso', expect: ['console'] },
  { line: 'tsh aws console --pri', expect: ['--print'] },
];

const sorted = (xs: string[]) => [...xs].sort();

let fixture: FixtureHome;
let cwd: string;
before(() => {
  fixture = makeTeleportHome();
  cwd = mkdtempSync(join(tmpdir(), 'completion-cwd-'));
  writeFileSync(join(cwd, 'roles.yaml'), 'kind: role\n');
});
after(() => {
  fixture.cleanup();
  rmSync(cwd, { recursive: true, force: true });
});

for (const shell of Object.keys(shellPaths) as ShellName[]) {
  // Each case starts its own shell (zsh's takes ~0.4 s to load compinit), so they run side by side.
  describe(`${shell} completion`, { concurrency: 4, skip: !existsSync(shellPaths[shell]) && `${shellPaths[shell]} is not installed` }, () => {
    for (const c of cases) {
      it(`${JSON.stringify(c.line)} -> ${c.expect.join(' ') || '(nothing)'}`, async () => {
        const got = await complete(shell, c.line, { teleportHome: fixture.home, cwd });
        assert.deepEqual(sorted(got), sorted(c.expect));
      });
    }

    if (shell === 'zsh') {
      it('works installed with `source <(tsh completion zsh)` as well as from $fpath', async () => {
        const o = { teleportHome: fixture.home, cwd, zshSourced: true };
        assert.deepEqual(await complete(shell, 'tsh apps lo', o), ['login', 'logout']);
        assert.deepEqual(await complete(shell, 'tsh apps login --aws-role Ex', o), ['ExampleTeleportDynamoDBRole']);
      });
    }

    it('offers no app or role names when TELEPORT_HOME holds nothing', async () => {
      const empty = mkdtempSync(join(tmpdir(), 'completion-empty-'));
      try {
        assert.deepEqual(await complete(shell, 'tsh apps login ', { teleportHome: empty, cwd }), []);
        assert.deepEqual(await complete(shell, 'tsh apps login --aws-role ', { teleportHome: empty, cwd }), []);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });

    it('never evaluates names read from TELEPORT_HOME', async () => {
      const hostile = makeTeleportHome({ apps: {}, cache: { proxy: 'proxy.example.com', apps: [{ name: '$(touch${IFS}pwned)', awsRoleArns: [] }, { name: '`touch${IFS}pwned2`', awsRoleArns: [] }] } });
      const dir = mkdtempSync(join(tmpdir(), 'completion-hostile-'));
      try {
        const got = await complete(shell, 'tsh apps login ', { teleportHome: hostile.home, cwd: dir });
        assert.deepEqual(sorted(got.map((g) => g.replace(/\\/g, ''))), sorted(['$(touch${IFS}pwned)', '`touch${IFS}pwned2`']));
        assert.deepEqual(readdirSync(dir), [], 'completing ran the name as a command');
        // bash and zsh put their matches on the line as given: they must arrive quoted. (fish quotes what it inserts.)
        if (shell !== 'fish') for (const g of got) assert.doesNotMatch(g, /(^|[^\\])[$`]/, `${g} would run when the line is entered`);
      } finally {
        hostile.cleanup();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('with no completion for aws, its words complete as file names (aws s3 cp takes local paths)', async () => {
      const got = await complete(shell, 'tsh aws s3 cp rol', { teleportHome: fixture.home, cwd, setup: noAwsCompletionSetup[shell] });
      assert.deepEqual(got, ['roles.yaml']);
      assert.deepEqual(await complete(shell, 'tsh aws cons', { teleportHome: fixture.home, cwd, setup: noAwsCompletionSetup[shell] }), ['console']);
    });

    describe('with the aws CLI completion loaded', { skip: !existsSync(awsCompleter) && `${awsCompleter} (Debian awscli) is not installed` }, () => {
      for (const c of passThroughCases) {
        it(`${JSON.stringify(c.line)} -> ${c.expect.join(' ')}`, async () => {
          const got = await complete(shell, c.line, { teleportHome: fixture.home, cwd, setup: awsCompletionSetup[shell] });
          assert.deepEqual(sorted(got), sorted(c.expect));
        });
      }
    });
  });
}
