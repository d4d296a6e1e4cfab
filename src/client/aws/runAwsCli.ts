/**
 * `tsh aws [--app APP] [--endpoint-url] [--exec CMD] ARGS...`: one aws CLI
 * run (or another program's) through a local proxy that lives as long as it.
 *
 *   tsh (one process)                                        child
 *   ----------------------------------------------          -----------------------------------------
 *   local proxy on 127.0.0.1:0  <-- CONNECT / TLS ---------  aws ARGS...   (HTTPS_PROXY, fake keys,
 *        |                                                                  AWS_CA_BUNDLE = local CA)
 *        `==mTLS==> cluster proxy ==> app service ==> AWS
 *   SIGINT / SIGTERM / SIGHUP to tsh  --------------------> forwarded to the child
 *   exit code  <------------------------------------------- the child's (a signal N: 128+N)
 *
 * The arguments reach the program unchanged; stdin, stdout and stderr are
 * shared with it. `--exec CMD` runs CMD instead of `aws`; CMD may carry its
 * own flags (`--exec "terraform -chdir=infra"`) and ARGS still arrive
 * unsplit: no shell ever reads them (see childCommand.ts). In endpoint
 * mode the aws CLI gets `--endpoint-url https://127.0.0.1:PORT` before ARGS;
 * another program gets AWS_ENDPOINT_URL instead (SDKs read it; it is not a
 * flag they would understand).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { constants } from 'node:os';
import { TshError } from '../../shared/errors.js';
import type { ClientEnv } from '../clientEnv.js';
import { startLocalAwsProxy, type LocalAwsProxyOptions } from '../localproxy/localAwsProxy.js';
import { awsChildEnv } from './childEnv.js';
import { childCommand } from './childCommand.js';

/** What to run. */
export interface RunAwsCliOptions {
  /** --app. */
  app?: string;
  /** --endpoint-url: serve an endpoint URL instead of an HTTPS proxy. */
  endpointUrl?: boolean;
  /** --exec: a program to run instead of `aws`. */
  exec?: string;
  /** Every token after `aws`, unchanged. */
  args: string[];
  /** Default 'inherit'. */
  stdio?: StdioOptions;
  /** One line per proxied request (--debug). */
  log?: (line: string) => void;
  /** Proxy knobs for tests (renewal timing). */
  proxy?: Pick<LocalAwsProxyOptions, 'credentials'>;
}

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const INSTALL_HINT =
  'install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html; ' +
  'on Debian or Ubuntu: `sudo apt-get install awscli`) and make sure `aws` is on your PATH';

/** Runs the program through a local proxy and resolves with its exit code. */
export async function runAwsCli(ce: ClientEnv, opts: RunAwsCliOptions): Promise<number> {
  // The proxy finishes loading (secret store, certificates) while the child starts up; only when
  // the local CA file is about to be rewritten does the child wait for it.
  const proxy = await startLocalAwsProxy(ce, { app: opts.app, endpointUrl: opts.endpointUrl, log: opts.log, ...opts.proxy, early: true });
  try {
    if (!proxy.caReady) await proxy.ready;
    const awsCli = !opts.exec;
    const env = awsChildEnv(ce.env, proxy, { awsCli });
    const args = awsCli && proxy.mode === 'endpoint' ? ['--endpoint-url', proxy.url, ...opts.args] : opts.args;
    const child = startChild(opts.exec ?? 'aws', args, env, opts.stdio ?? 'inherit');
    const exit = waitForExit(child, opts.exec);
    // A proxy that cannot load (its key is gone, say) ends the run with its own error.
    const failure = proxy.ready.then(
      () => new Promise<never>(() => {}),
      (err: unknown) => err,
    );
    const first = await Promise.race([exit.then((code) => ({ code })), failure.then((err) => ({ err }))]);
    if ('err' in first) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exit.catch(() => {});
      throw first.err;
    }
    return first.code;
  } finally {
    await proxy.close();
  }
}

function startChild(program: string, args: string[], env: NodeJS.ProcessEnv, stdio: StdioOptions): ChildProcess {
  const command = childCommand(program, args);
  return spawn(command.file, command.args, { env, stdio });
}

function waitForExit(child: ChildProcess, exec: string | undefined): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const forward = (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const s of FORWARDED_SIGNALS) process.on(s, forward);
    const cleanup = () => {
      for (const s of FORWARDED_SIGNALS) process.off(s, forward);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      if (err.code === 'ENOENT' || err.code === 'EACCES') {
        const what = exec ? `the program "${exec}"` : 'the aws CLI';
        const why = err.code === 'ENOENT' ? 'was not found' : 'is not executable';
        // Windows starts .exe files only without a shell; a .cmd or .bat script (pip's aws.cmd) is not found.
        const windows = process.platform === 'win32' ? ' (on Windows it must be an .exe; a .cmd or .bat script runs with --exec "cmd /c NAME")' : '';
        reject(new TshError('MISSING_PROGRAM', `${what} ${why}`, { hint: (exec ? 'check the --exec value and your PATH' : INSTALL_HINT) + windows, cause: err }));
      } else reject(new TshError('INTERNAL', `could not start ${exec ?? 'aws'}: ${err.message}`, { cause: err }));
    });
    child.once('close', (code, signal) => {
      cleanup();
      if (code !== null) resolve(code);
      else resolve(128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
