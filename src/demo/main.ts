/**
 * `npm run demo`: the seed guide, end to end, on this machine.
 *
 *   this process                                   child processes (the real binaries)
 *   ------------                                   -----------------------------------
 *   local AWS sandbox (STS + DynamoDB/dynalite)    tctl, tsh login, tsh apps login,
 *   cluster: auth + proxy + app service  <-------- tsh aws dynamodb list-tables (-> aws CLI),
 *     (SQLite in a data dir it names)              tsh proxy aws -p PORT (-> python3 boto3)
 *
 * Nothing is configured by the user: the cluster runs on embedded defaults,
 * the user logs in with a throwaway TELEPORT_HOME, and every step prints the
 * command and its output. The console step drives the web UI in headless
 * Chromium (`--no-browser`: `tsh aws console --print` instead).
 * `--keep-running` leaves it all up with the exact commands to try by hand
 * and the web UI's address; `--otp SECRET` prints the current one-time code
 * for its sign-in. Ctrl-C stops everything it started.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { Chalk } from 'chalk';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { startTeleport, type TeleportProcess } from '../cluster/teleportProcess.js';
import { silentLogger } from '../cluster/logger.js';
import { totpCode, totpSequence, totpStep } from '../shared/totp.js';
import { ApiClient } from '../shared/http/apiClient.js';
import { stepRunner } from './steps.js';
import { missingPrerequisites } from './prerequisites.js';
import { consoleStep } from './consoleStep.js';
import { prepareProcess } from '../shared/processSetup.js';

prepareProcess();

const ACCOUNT = '123456789012';
const ROLE_NAME = 'ExampleTeleportDynamoDBRole';
const USER = 'alice';
const PASSWORD = 'demo-password-correct-horse';

const tty = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && !process.argv.includes('--no-color');
const c = new Chalk({ level: tty ? 1 : 0 });
const steps = stepRunner(c, Boolean(process.stderr.isTTY));
const bin = (name: string) => fileURLToPath(new URL(`../bin/${name}`, import.meta.url));

async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(undefined));
      s.listen(port, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
  return (await tryPort(preferred)) ?? (await tryPort(0))!;
}

async function main(): Promise<number> {
  const otpFor = process.argv.indexOf('--otp');
  if (otpFor >= 0) {
    const secret = process.argv[otpFor + 1] ?? '';
    if (!/^[A-Z2-7]{16,}$/.test(secret)) {
      process.stderr.write(`${c.red('ERROR:')} --otp needs the authenticator secret that \`--keep-running\` printed (base32, such as JBSWY3DPEHPK3PXP...)\n`);
      return 2;
    }
    process.stdout.write(`${totpCode(secret)}\n`);
    return 0;
  }
  const keepRunning = process.argv.includes('--keep-running');
  const missing = await missingPrerequisites();
  if (missing.length) {
    process.stderr.write(`${c.red('ERROR:')} the demo needs ${missing.map((m) => m.name).join(' and ')}.\n`);
    for (const m of missing) process.stderr.write(`  install ${m.name}: ${m.install}\n`);
    process.stderr.write('  (or run `bash scripts/setup.sh`, which installs everything the demo and the tests need)\n');
    return 1;
  }

  const work = await mkdtemp(join(tmpdir(), 'tsh-aws-demo-'));
  const dataDir = join(work, 'data');
  const children = new Set<ChildProcess>();
  let sandbox: Sandbox | undefined;
  let cluster: TeleportProcess | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    await cluster?.close().catch(() => {});
    await sandbox?.close().catch(() => {});
    await rm(work, { recursive: true, force: true }).catch(() => {});
  };
  const interrupted = new Promise<number>((resolve) => {
    const onSignal = () => {
      process.stderr.write(`\n${c.dim('stopping everything the demo started...')}\n`);
      void stop().then(() => resolve(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });

  const run = async (): Promise<number> => {
    steps.title('tsh-aws demo: DynamoDB through short-lived certificates, no AWS keys on the laptop');
    steps.note(`Work dir (removed at the end): ${work}`);

    sandbox = await steps.spin('Starting the local AWS sandbox (STS + DynamoDB)', () =>
      startSandbox({
        accountId: ACCOUNT,
        roles: [{ name: ROLE_NAME }],
        tables: [{ name: 'my-dynamodb-table', items: [{ id: 'order-1', total: 42 }, { id: 'order-2', total: 7 }, { id: 'order-3', total: 19 }] }],
      }),
    );
    // The app service's own AWS identity and the SDKs' standard endpoint variables, as a
    // LocalStack user would set them; nothing else in tsh-aws knows about the sandbox.
    Object.assign(process.env, sandbox.endpointEnv(), {
      AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });

    cluster = await steps.spin('Starting a cluster: auth, proxy and app service in one process', () =>
      startTeleport(
        {
          source: 'demo',
          dataDir,
          auth: { clusterName: 'demo.tsh-aws.local', listenAddr: '127.0.0.1:0', secondFactor: 'otp' },
          proxy: { webListenAddr: '127.0.0.1:0' },
          app: { enabled: true, apps: [{ name: 'aws', uri: 'https://console.aws.amazon.com/home/home', labels: { env: 'demo' } }] },
        },
        { log: silentLogger },
      ),
    );
    await cluster.app!.ready;
    const proxy = cluster.proxyAddr!;
    const configPath = join(work, 'teleport.yaml');
    await writeFile(configPath, `version: v3\nteleport:\n  data_dir: ${dataDir}\nauth_service:\n  cluster_name: demo.tsh-aws.local\n  listen_addr: 127.0.0.1:0\nproxy_service:\n  web_listen_addr: 127.0.0.1:0\n`);
    steps.note(`Cluster data (SQLite): ${dataDir}   proxy: https://${proxy}`);

    const home = join(work, 'tsh-home');
    const awsConfig = join(work, 'aws-config');
    await writeFile(awsConfig, '[default]\nregion = us-east-1\n');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TELEPORT_HOME: home,
      AWS_CONFIG_FILE: awsConfig,
      AWS_SHARED_CREDENTIALS_FILE: join(work, 'aws-credentials'),
      AWS_PAGER: '',
      NO_COLOR: tty ? undefined : '1',
    };
    const tsh = (args: string[], input?: string, allowFail = false) => steps.run(`tsh ${args.join(' ')}`, [process.execPath, bin('tsh'), ...args], { env, input, allowFail });
    const tctl = (args: string[], shown = `tctl ${args.join(' ')}`) => steps.run(shown, [process.execPath, bin('tctl'), '-c', configPath, ...args], { env });

    steps.title('Step 1 (the administrator): the cluster, the role mapping and a user');
    await tctl(['status'], 'tctl status');
    const roleFile = join(work, 'aws-dynamodb-access.yaml');
    await writeFile(roleFile, `kind: role\nversion: v5\nmetadata:\n  name: aws-dynamodb-access\nspec:\n  allow:\n    app_labels:\n      '*': '*'\n    aws_role_arns:\n    - arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}\n`);
    steps.note(`(aws-dynamodb-access.yaml maps the role to arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME})`);
    await steps.run('tctl create -f aws-dynamodb-access.yaml', [process.execPath, bin('tctl'), '-c', configPath, 'create', '-f', roleFile], { env });
    const added = await tctl(['users', 'add', USER, '--roles=access,aws-dynamodb-access']);
    const token = /\/web\/invite\/([0-9a-f]+)/.exec(added.stdout)![1];
    // What the invite page does in a browser: enrol the authenticator, set the password.
    const web = new ApiClient({ addr: proxy, insecure: true });
    const invite = await web.get<{ totp: { secret: string } }>(`/v1/webapi/users/password/token/${token}`);
    // The demo logs in faster than an authenticator shows new codes: it enrols with the previous step's
    // code (accepted as clock drift), so this step's and the next one are left for tsh and the web UI.
    const secret = invite.totp.secret;
    await web.put('/v1/webapi/users/password/token', { token, password: PASSWORD, second_factor_token: totpCode(secret, new Date(Date.now() - 30_000)) });
    const nextCode = totpSequence(secret, totpStep() - 1);
    web.close();
    steps.note(`(${USER} opened the invite link, added the authenticator and set a password)`);

    steps.title(`Step 2 (${USER}): log in`);
    steps.note('(password and one-time code are typed at the prompts; the demo pipes them in)');
    await tsh(['login', `--proxy=${proxy}`, `--user=${USER}`, '--insecure'], `${PASSWORD}\n${await nextCode()}\n`);

    steps.title('Step 3: log into the AWS app with the IAM role');
    await tsh(['apps', 'ls']);
    await tsh(['apps', 'login', '--aws-role', ROLE_NAME, 'aws']);

    steps.title('Step 4: the aws CLI, through tsh');
    await tsh(['aws', 'dynamodb', 'list-tables']);
    await tsh(['aws', 'sts', 'get-caller-identity']);

    steps.title('Step 5: any AWS SDK, through `tsh proxy aws` (boto3 here)');
    const port = await freePort(23456);
    process.stdout.write(`${c.bold.green('$')} ${c.bold(`tsh proxy aws -p ${port}`)}   ${c.dim('(left running in the background)')}\n`);
    const proxyChild = spawn(process.execPath, [bin('tsh'), 'proxy', 'aws', '-p', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(proxyChild);
    const settings = await steps.spin('waiting for the local proxy', () => readProxySettings(proxyChild));
    process.stdout.write(settings.text);
    const py = `import boto3\nprint(boto3.client('dynamodb').list_tables())\n`;
    await steps.run(`python3 -c "import boto3; print(boto3.client('dynamodb').list_tables())"`, ['python3', '-c', py], { env: { ...env, ...settings.vars, AWS_DEFAULT_REGION: 'us-east-1' } });

    steps.title('Step 6: the AWS Management Console, from the web UI');
    await consoleStep({ steps, c, proxy, user: USER, password: PASSWORD, otp: nextCode, app: 'aws', roleName: ROLE_NAME, tsh: (args) => tsh(args), noBrowser: process.argv.includes('--no-browser') });

    steps.title('Step 7: what the cluster recorded (the audit log)');
    // Per-request events travel in batches; send boto3's now so the listing shows it.
    await cluster.app?.flushAudit();
    await tctl(['audit', 'events', '--since', '10m']);

    if (keepRunning) {
      steps.title('The cluster keeps running. Try it yourself in another terminal:');
      process.stdout.write(
        [
          `export TELEPORT_HOME=${home}`,
          `export AWS_CONFIG_FILE=${awsConfig}`,
          `export PATH=${fileURLToPath(new URL('../bin', import.meta.url))}:$PATH`,
          'tsh status',
          'tsh aws dynamodb scan --table-name my-dynamodb-table',
          `# the proxy is still up on port ${port}; paste these to use it from any SDK:`,
          ...Object.entries(settings.vars).map(([k, v]) => `export ${k}="${v}"`),
          `python3 -c "import boto3; print(boto3.client('dynamodb').scan(TableName='my-dynamodb-table')['Items'])"`,
          `tctl -c ${configPath} audit events --since 10m`,
          'tsh aws console --print',
          '',
          `${c.bold('Web UI:')} https://${proxy}/web  (user ${USER}, password "${PASSWORD}", one-time code: node ${fileURLToPath(import.meta.url)} --otp ${secret})`,
          c.dim('  (the certificate is signed by the demo cluster\'s own CA: let the browser proceed)'),
          c.dim(`(admin: tctl -c ${configPath} ...; log in again with: tsh login --proxy=${proxy} --user=${USER} --insecure,`),
          c.dim(` password "${PASSWORD}", one-time codes for secret ${secret})`),
          '',
          c.bold('Press Ctrl-C to stop everything.'),
          '',
        ].join('\n'),
      );
      return interrupted;
    }

    proxyChild.kill('SIGINT');
    await new Promise((r) => proxyChild.once('exit', r));
    children.delete(proxyChild);
    steps.title('Step 8: log out of the app (the certificate stops working at once)');
    await tsh(['apps', 'logout', 'aws']);
    process.stdout.write(`\n${c.green.bold('Done.')} Every step of the guide ran against a real cluster and a local AWS.\n`);
    return 0;
  };

  try {
    return await Promise.race([run(), interrupted]);
  } catch (err) {
    if (stopping) return 130;
    process.stderr.write(`\n${c.red('ERROR:')} ${(err as Error).message}\n`);
    return 1;
  } finally {
    await stop();
  }
}

/** Reads `tsh proxy aws`'s printed settings (unix format: `export K="V"`). */
function readProxySettings(child: ChildProcess): Promise<{ text: string; vars: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    let text = '';
    let err = '';
    const want = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_CA_BUNDLE', 'HTTPS_PROXY'];
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      text += d;
      const vars: Record<string, string> = {};
      for (const m of text.matchAll(/export (\w+)="([^"]*)"/g)) vars[m[1]] = m[2];
      if (want.every((k) => vars[k])) resolve({ text, vars });
    });
    child.once('exit', (code) => reject(new Error(`tsh proxy aws exited with ${code}: ${err}`)));
  });
}

main().then((code) => {
  process.exitCode = code;
  // Anything still pending (idle keep-alive sockets) must not hold the demo open.
  setTimeout(() => process.exit(code), 200).unref();
});
