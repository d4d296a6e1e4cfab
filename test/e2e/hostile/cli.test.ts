/**
 * Hostile input to tctl, teleport and tsh, through the real binaries: YAML
 * that is broken, an alias bomb ("billion laughs"), nested too deep, huge or
 * keyed by prototype names; template injection through traits (a trait
 * named like a prototype member, a trait value shaped like a template, `{{`
 * noise reaching a role's template); a corrupt, truncated or mis-shaped tsh
 * profile, one that names paths outside TELEPORT_HOME, and files with loose
 * modes. Here a case's status is the program's exit code and its message is
 * what it printed on stderr. After each, the cluster still serves tctl and
 * tsh, and nothing reached AWS.
 */
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, tshLogin } from '../../helpers/cluster.js';
import { runBin, type RunResult } from '../../helpers/binaries.js';
import { caPinOf, seedAppServiceYaml } from '../../helpers/appService.js';
import { startChain, PASSWORD, ROLE, runHostileCases, type Chain, type ChainUser, type HostileCase, type Seen } from '../../helpers/hostile.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
let chain: Chain;
let alice: ChainUser;
let dir: string;

before(async () => {
  chain = await startChain();
  alice = await chain.user('alice');
  dir = await mkdtemp(join(tmpdir(), 'tsh-hostile-cli-'));
});

after(async () => {
  await chain?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The cluster answers tctl, and alice's tsh still reads her profile. */
async function healthy(): Promise<void> {
  const status = await chain.cluster.tctl(['status']);
  assert.equal(status.code, 0, status.stderr);
  const tsh = await runBin('tsh', ['status', '-f', 'json'], { env: alice.env });
  assert.equal(tsh.code, 0, tsh.stderr);
  assert.equal(JSON.parse(tsh.stdout).active.username, 'alice');
}

/** What a program run showed its user: the exit code as the status, stderr as the message. */
const seen = (r: RunResult): Seen => ({ status: r.code, headers: {}, body: r.stdout, message: r.stderr });

let files = 0;
/** `tctl create -f` of `text`, written to a file of its own. */
async function tctlCreate(text: string): Promise<Seen> {
  const file = join(dir, `resources-${++files}.yaml`);
  await writeFile(file, text);
  return seen(await chain.cluster.tctl(['create', '-f', file]));
}

/** `teleport start -c` of `yaml`, written to a file of its own (each of these configs is refused before anything starts). */
async function teleportStart(yaml: string): Promise<Seen> {
  const file = join(dir, `teleport-${++files}.yaml`);
  await writeFile(file, yaml);
  return seen(await runBin('teleport', ['start', '-c', file], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, timeoutMs: 30_000 }));
}

/** A copy of alice's TELEPORT_HOME, changed by `edit`, and a tsh command run against it. */
async function tshWithHome(args: string[], edit: (home: string) => Promise<void>): Promise<Seen & { home: string }> {
  const home = join(dir, `home-${++files}`);
  await cp(alice.env.TELEPORT_HOME, home, { recursive: true });
  await edit(home);
  const r = await runBin('tsh', args, { env: { ...alice.env, TELEPORT_HOME: home } });
  return { ...seen(r), home };
}

/** "Billion laughs" in YAML: nine levels of nine aliases each, 9^9 strings once expanded, at `indent`. */
const aliasBomb = (indent: string) =>
  [`${indent}l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`, ...Array.from({ length: 8 }, (_, i) => `${indent}l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(',')}]`)].join('\n') + '\n';
const billionLaughs = `kind: role\nversion: v5\nmetadata:\n  name: lol\n  labels:\n${aliasBomb('    ')}`;
const role = (name: string, spec: string) => `kind: role\nversion: v5\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const nothingCreated = async (name: string) => assert.notEqual((await chain.cluster.tctl(['get', `role/${name}`])).code, 0, `role ${name} was created`);

const yaml: HostileCase[] = [
  { name: 'tctl create: a syntax error', send: () => tctlCreate('kind: role\nversion: v5\nmetadata: {name: broken\n'), status: 1, message: /ERROR: \S+resources-\d+\.yaml:\d+: invalid YAML: / },
  { name: 'tctl create: an alias bomb ("billion laughs")', send: () => tctlCreate(billionLaughs), status: 1, message: /ERROR: \S+resources-\d+\.yaml: invalid YAML: its aliases expand to more than 100 copies \(an alias bomb\); write the values out instead/, check: () => nothingCreated('lol') },
  { name: 'tctl create: an alias to no anchor', send: () => tctlCreate('kind: role\nversion: v5\nmetadata:\n  name: *nowhere\n'), status: 1, message: /invalid YAML: Unresolved alias/ },
  { name: 'tctl create: a document nested 5,000 deep', send: () => tctlCreate(`kind: role\nversion: v5\nmetadata: {name: deep}\nspec: ${'['.repeat(5000)}${']'.repeat(5000)}\n`), status: 1, message: /invalid YAML: it is nested too deeply/ },
  {
    name: 'tctl create: a 3.9 MiB document of 100,000 keys is refused at its first unknown key',
    send: () => tctlCreate(role('huge', `  allow:\n${Array.from({ length: 100_000 }, (_, i) => `    k${i}: ${'x'.repeat(20)}`).join('\n')}\n`)),
    status: 1,
    message: /unknown key "k0" in "spec\.allow"/,
    check: () => nothingCreated('huge'),
  },
  { name: 'tctl create: 10,000 empty documents', send: () => tctlCreate('---\n'.repeat(10_000)), status: 1, message: /:1: document 1: missing "kind"/ },
  { name: 'tctl create: a key that is a mapping', send: () => tctlCreate('kind: role\nversion: v5\n? {name: x}\n: y\n'), status: 1, message: /:3: invalid YAML: a key must be a plain value, not a list or mapping/ },
  { name: 'tctl create: a key named like a prototype member ("constructor")', send: () => tctlCreate(role('proto1', '  allow: {}\n').replace('  name: proto1\n', '  name: proto1\n  constructor: 1\n')), status: 1, message: /unknown key "constructor" in "metadata"/, check: () => nothingCreated('proto1') },
  { name: 'tctl create: a key named "toString" where a role\'s spec is', send: () => tctlCreate(role('proto2', '  toString: {}\n')), status: 1, message: /unknown key "toString" in "spec"/, check: () => nothingCreated('proto2') },
  { name: 'tctl create: a "__proto__" label', send: () => tctlCreate(role('proto3', "  allow:\n    app_labels:\n      __proto__: ['*']\n")), status: 1, message: /"__proto__" cannot be a key in "spec\.allow\.app_labels"/, check: () => nothingCreated('proto3') },
  {
    name: 'teleport start: an alias bomb in teleport.yaml',
    send: () => teleportStart(`version: v3\nteleport:\n  data_dir: ${dir}/data-bomb\n${aliasBomb('  ')}`),
    status: 1,
    message: /ERROR: \S+teleport-\d+\.yaml: invalid YAML: its aliases expand to more than 100 copies \(an alias bomb\)/,
  },
  {
    name: 'teleport start: an alias to no anchor in teleport.yaml',
    send: () => teleportStart(`version: v3\nteleport:\n  data_dir: ${dir}/data-alias\n  nodename: *nothing\n`),
    status: 1,
    message: /ERROR: \S+teleport-\d+\.yaml: invalid YAML: Unresolved alias/,
  },
  {
    name: 'teleport start: a key named "toString" in teleport.yaml',
    send: async () => teleportStart(seedAppServiceYaml({ tokenFile: join(dir, 'token'), proxyAddr: chain.cluster.proxyAddr, dataDir: join(dir, 'data-proto'), caPin: await caPinOf(chain.cluster) }).replace('ssh_service:\n', 'ssh_service:\n  toString: yes\n')),
    status: 1,
    message: /unknown key "toString" in "ssh_service"/,
  },
];

/** A user (password set through the invite) whose traits then come from a `kind: user` document. */
async function userWithTraits(name: string, roles: string[], traits: Record<string, string[]>): Promise<Record<string, string>> {
  await addUser(chain.cluster, name, roles, PASSWORD);
  const doc = `kind: user\nversion: v2\nmetadata:\n  name: ${name}\nspec:\n  roles: [${roles.join(', ')}]\n  traits:\n${Object.entries(traits).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`).join('')}`;
  const created = await tctlCreate(doc);
  assert.equal(created.status, 0, created.message);
  const env = { ...alice.env, TELEPORT_HOME: join(dir, `${name}-home`) };
  const login = await tshLogin(env, chain.cluster.proxyAddr, name, PASSWORD);
  assert.equal(login.code, 0, login.stderr);
  return env;
}

/** What a user with `traits` may do: their allowed ARNs (tsh status) and an app login with the guide's role. */
async function appLoginWithTraits(name: string, roles: string[], traits: Record<string, string[]>): Promise<Seen> {
  const env = await userWithTraits(name, roles, traits);
  const status = JSON.parse((await runBin('tsh', ['status', '-f', 'json'], { env })).stdout);
  assert.ok(!status.active.aws_role_arns.includes(ROLE), `the guide's role became allowed: ${status.active.aws_role_arns}`);
  return seen(await runBin('tsh', ['apps', 'login', '--aws-role', ROLE, 'aws'], { env }));
}

const templates: HostileCase[] = [
  {
    name: 'a role template that reads a trait named like a prototype member ({{internal.constructor}})',
    async send() {
      assert.equal((await tctlCreate(role('proto-template', "  allow:\n    app_labels: {'*': '*'}\n    aws_role_arns: ['{{internal.constructor}}', '{{external.__proto__}}']\n"))).status, 0);
      return appLoginWithTraits('tmpl-proto', ['proto-template'], {});
    },
    status: 1,
    message: /^ERROR: your roles allow no IAM role on app "aws"\n/,
  },
  {
    name: 'a trait value shaped like a template ({{internal.aws_role_arns}}) is a literal, not expanded again',
    send: () => appLoginWithTraits('tmpl-value', ['access'], { aws_role_arns: ['{{internal.aws_role_arns}}'], logins: [ROLE] }),
    status: 1,
    message: /^WARNING: skipping "\{\{internal\.aws_role_arns\}\}": not a valid IAM role ARN \(check the aws_role_arns trait\)\nERROR: your roles allow no IAM role on app "aws"\n/,
  },
  {
    name: '`{{` noise in a trait value that reaches a role template',
    async send() {
      assert.equal((await tctlCreate(role('team-reader', "  allow:\n    app_labels: {'*': '*'}\n    aws_role_arns: ['arn:aws:iam::123456789012:role/{{internal.team}}-reader']\n"))).status, 0);
      return appLoginWithTraits('tmpl-noise', ['team-reader'], { team: ['x}}{{internal.aws_role_arns', 'ExampleTeleportDynamoDB{{', '../ExampleTeleportDynamoDBRole#'] });
    },
    status: 1,
    message: /WARNING: skipping "arn:aws:iam::123456789012:role\/x\}\}\{\{internal\.aws_role_arns-reader": not a valid IAM role ARN.*\nERROR: your roles allow no IAM role on app "aws"\n/s,
  },
  {
    name: 'tctl users update --set-aws-role-arns with `{{` noise is kept with a warning and grants nothing',
    async send() {
      await addUser(chain.cluster, 'tmpl-flag', ['access'], PASSWORD);
      return seen(await chain.cluster.tctl(['users', 'update', 'tmpl-flag', '--set-aws-role-arns', '{{internal.aws_role_arns}},arn:aws:iam::123456789012:role/{{']));
    },
    status: 0,
    message: /"\{\{internal\.aws_role_arns\}\}" is not a valid IAM role ARN/,
  },
];

const profilePath = (home: string) => join(home, '127.0.0.1.json');
const unreadable = /ERROR: the profile \S+127\.0\.0\.1\.json is unreadable\nHint: log in again with `tsh login` \(or remove the file\)/;

const profiles: HostileCase[] = [
  { name: 'a truncated profile', send: () => tshWithHome(['status'], async (h) => writeFile(profilePath(h), (await readFile(profilePath(h), 'utf8')).slice(0, 40))), status: 1, message: unreadable },
  { name: 'a profile that is not UTF-8 JSON at all', send: () => tshWithHome(['apps', 'ls'], (h) => writeFile(profilePath(h), Buffer.from([0xff, 0xfe, 0x00, 0x7b]))), status: 1, message: unreadable },
  { name: 'a profile that is JSON null', send: () => tshWithHome(['apps', 'login', 'aws'], (h) => writeFile(profilePath(h), 'null\n')), status: 1, message: unreadable },
  { name: 'a profile of the wrong shape', send: () => tshWithHome(['apps', 'ls'], (h) => writeFile(profilePath(h), JSON.stringify({ name: '127.0.0.1', webProxyAddr: 5, apps: 'aws', roles: {} }))), status: 1, message: unreadable },
  {
    name: 'a current-profile that names a path outside TELEPORT_HOME',
    send: () => tshWithHome(['status'], (h) => writeFile(join(h, 'current-profile'), '../../../../etc/passwd\n')),
    status: 1,
    message: /ERROR: \S+current-profile names "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd", which is not a profile name/,
  },
  {
    name: 'a profile whose app name climbs out of TELEPORT_HOME',
    send: () => tshWithHome(['apps', 'config', '-f', 'key', '../../../../../../../etc/x'], async (h) => {
      const p = JSON.parse(await readFile(profilePath(h), 'utf8'));
      p.apps['../../../../../../../etc/x'] = { ...p.apps.aws, name: '../../../../../../../etc/x' };
      await writeFile(profilePath(h), JSON.stringify(p));
    }),
    status: 1,
    message: unreadable,
  },
  {
    name: 'a login key left world-readable and a world-writable profile are used and made 0600 again',
    send: () => tshWithHome(['apps', 'ls', '-f', 'json'], async (h) => {
      await chmod(join(h, 'keys', '127.0.0.1', 'alice.key'), 0o644);
      await chmod(profilePath(h), 0o666);
    }),
    status: 0,
    message: /^$/,
    check: async (s) => {
      const home = (s as Seen & { home: string }).home;
      assert.equal(JSON.parse(s.body)[0].metadata.name, 'aws');
      assert.equal((await stat(join(home, 'keys', '127.0.0.1', 'alice.key'))).mode & 0o777, 0o600);
      assert.equal((await stat(profilePath(home))).mode & 0o777, 0o600);
    },
  },
];

runHostileCases(
  {
    'tctl and teleport: hostile YAML': yaml,
    'template injection through traits': templates,
    'tsh: corrupt profiles and loose modes': profiles,
  },
  { sandbox: () => chain.sandbox, healthy },
);
