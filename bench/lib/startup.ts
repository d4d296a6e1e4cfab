/**
 * Start-up times, with hyperfine (no shell, `-N`): `tsh version` and
 * `tsh status` against `node -e 0`, and `tsh aws dynamodb list-tables`
 * (the real chain to the sandbox's DynamoDB) against the Debian aws CLI
 * alone with --endpoint-url to the same DynamoDB. Each comparison runs in
 * rounds (all commands of a round in one hyperfine call), each round gated
 * on a quiet machine and repeated when other processes used more than the
 * disturbance threshold during it; figures are medians over every kept run.
 */
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { childTicks, disturbance, HZ, machineTicks, procTicks, waitQuiet, type GateOptions } from './proc.js';
import { median } from './report.js';
import { runProgram as run } from '../../test/helpers/binaries.js';
import { bin, ROLE_ARN, type World } from './world.js';
import { probeSpeed, slowdownOf } from './throughput.js';

export interface Timing {
  name: string;
  command: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

export interface StartupResult {
  tool: string;
  basics: Timing[];
  awsCli: Timing[];
  rounds: Array<{ group: string; otherCores: number; slowdown: number; kept: boolean }>;
}

export type StartupOptions = GateOptions;

/** CPU ticks of everything the bench runs, plus what its finished children used. */
function ourTicks(world: World): number {
  let t = childTicks(process.pid);
  for (const pid of Object.values(world.pids())) {
    const v = procTicks(pid);
    if (Number.isFinite(v)) t += v;
  }
  return t;
}

async function hyperfineRound(world: World, env: NodeJS.ProcessEnv, commands: Array<{ name: string; argv: string[] }>, warmup: number, runs: number, file: string) {
  const busy = () => { const m = machineTicks(); return m.task + m.irq; };
  const before = { m: busy(), ours: ourTicks(world), at: Date.now() };
  const args = ['-N', '--style', 'none', '--warmup', String(warmup), '--runs', String(runs), '--export-json', file];
  for (const c of commands) args.push('--command-name', c.name, c.argv.join(' '));
  const r = await run('hyperfine', args, { env, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`hyperfine failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  const after = { m: busy(), ours: ourTicks(world), at: Date.now() };
  const otherCores = Math.max(0, (after.m - before.m - (after.ours - before.ours)) / HZ / ((after.at - before.at) / 1000));
  const json = JSON.parse(await readFile(file, 'utf8')) as { results: Array<{ command: string; times: number[] }> };
  await rm(file, { force: true });
  return { otherCores, times: new Map(json.results.map((x) => [x.command, x.times.map((t) => t * 1000)])) };
}

async function measureGroup(
  world: World,
  group: string,
  env: NodeJS.ProcessEnv,
  commands: Array<{ name: string; argv: string[] }>,
  plan: { rounds: number; warmup: number; runs: number },
  opts: StartupOptions,
  rounds: StartupResult['rounds'],
): Promise<Timing[]> {
  const pooled = new Map<string, number[]>(commands.map((c) => [c.name, []]));
  const file = join(world.root, `hyperfine-${group}.json`);
  for (let i = 0; i < plan.rounds; i++) {
    let best: (Awaited<ReturnType<typeof hyperfineRound>> & { slowdown: number }) | undefined;
    for (let attempt = 0; ; attempt++) {
      const gate = await waitQuiet(opts.quietCores, opts.quietMaxWaitMs);
      const p0 = probeSpeed();
      const r0 = await hyperfineRound(world, env, commands, plan.warmup, plan.runs, file);
      const r = { ...r0, slowdown: slowdownOf(Math.min(p0, probeSpeed())) };
      const disturbed = disturbance(r, opts) > 1;
      opts.log(
        `${group} round ${i + 1} try ${attempt + 1}: ` +
          commands.map((c) => `${c.name} ${median(r.times.get(c.name)!).toFixed(0)} ms`).join(', ') +
          `  other load ${r.otherCores.toFixed(2)} core, speed x${r.slowdown.toFixed(2)}${gate.quiet ? '' : ' (gate not met)'}${disturbed ? '  DISTURBED' : ''}`,
      );
      rounds.push({ group, otherCores: r.otherCores, slowdown: r.slowdown, kept: false });
      if (!best || disturbance(r, opts) < disturbance(best, opts)) {
        best = r;
        for (const x of rounds.filter((x) => x.group === group)) x.kept = false;
        rounds[rounds.length - 1].kept = true;
      }
      if (!disturbed || attempt >= opts.maxRetries || !opts.mayRetry()) break;
    }
    for (const c of commands) pooled.get(c.name)!.push(...best!.times.get(c.name)!);
  }
  return commands.map((c) => {
    const t = pooled.get(c.name)!;
    return { name: c.name, command: c.argv.join(' '), medianMs: median(t), minMs: Math.min(...t), maxMs: Math.max(...t), runs: t.length };
  });
}

/** Credentials for the aws CLI alone: an AssumeRole session at the sandbox, as a named profile. */
async function directProfile(world: World): Promise<string> {
  const sts = new STSClient({ region: 'us-east-1', endpoint: world.sandbox.stsEndpoint, credentials: world.sandbox.baseCredentials, maxAttempts: 1 });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'bench-direct' }));
  sts.destroy();
  const c = out.Credentials!;
  const env = world.homeA.env;
  await writeFile(env.AWS_SHARED_CREDENTIALS_FILE!, `[benchdirect]\naws_access_key_id = ${c.AccessKeyId}\naws_secret_access_key = ${c.SecretAccessKey}\naws_session_token = ${c.SessionToken}\n`, { mode: 0o600 });
  await appendFile(env.AWS_CONFIG_FILE!, '[profile benchdirect]\nregion = us-east-1\n');
  return 'benchdirect';
}

export async function measureStartup(world: World, opts: StartupOptions & { quick: boolean }): Promise<StartupResult> {
  const version = await run('hyperfine', ['--version'], { env: world.homeA.env });
  const env = world.homeA.env;
  const rounds: StartupResult['rounds'] = [];

  const tsh = bin('tsh');
  const basics = await measureGroup(
    world,
    'start-up',
    env,
    [
      { name: 'node -e 0', argv: ['node', '-e', '0'] },
      { name: 'tsh version', argv: [tsh, 'version'] },
      { name: 'tsh status', argv: [tsh, 'status'] },
    ],
    opts.quick ? { rounds: 2, warmup: 2, runs: 8 } : { rounds: 3, warmup: 3, runs: 10 },
    opts,
    rounds,
  );

  const profile = await directProfile(world);
  const ddb = world.sandbox.dynamodbEndpoint;
  const aws = ['/usr/bin/aws', 'dynamodb', 'list-tables', '--endpoint-url', ddb, '--profile', profile];
  const tshAws = [tsh, 'aws', '--app', 'sandbox', 'dynamodb', 'list-tables'];
  for (const argv of [aws, tshAws]) {
    const r = await run(argv[0], argv.slice(1), { env, timeoutMs: 60_000 });
    if (r.code !== 0 || !r.stdout.includes('TableNames')) throw new Error(`${argv.join(' ')} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  const awsCli = await measureGroup(
    world,
    'aws-cli',
    env,
    [
      { name: 'aws alone', argv: aws },
      { name: 'tsh aws', argv: tshAws },
    ],
    opts.quick ? { rounds: 1, warmup: 1, runs: 5 } : { rounds: 2, warmup: 1, runs: 6 },
    opts,
    rounds,
  );
  return { tool: version.stdout.trim(), basics, awsCli, rounds };
}
