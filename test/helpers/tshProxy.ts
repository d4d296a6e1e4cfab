/**
 * `tsh proxy aws` as a user runs it in another terminal, and the JS SDK v3
 * pointed at it the way the README tells Node users to (a proxy agent and
 * the local CA).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpsProxyAgent } from 'hpagent';
import { binPath } from './binaries.js';

/** A running `tsh proxy aws`: the settings it printed, its output so far, and how to stop it. */
export interface TshProxy {
  vars: Record<string, string>;
  stdout: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGINT (Ctrl-C); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `tsh proxy aws ARGS` and resolves once it printed its settings. */
export async function startTshProxy(env: Record<string, string>, args: string[] = []): Promise<TshProxy> {
  const child = spawn(process.execPath, [binPath('tsh'), 'proxy', 'aws', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const vars = await new Promise<Record<string, string>>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const v: Record<string, string> = {};
      for (const m of stdout.matchAll(/export (\w+)="([^"]*)"/g)) v[m[1]] = m[2];
      if (v.AWS_ACCESS_KEY_ID && v.AWS_SECRET_ACCESS_KEY && v.AWS_CA_BUNDLE && (v.HTTPS_PROXY || stdout.includes('endpoint URL'))) resolve(v);
    });
    child.once('exit', (code) => reject(new Error(`tsh proxy aws exited ${code}: ${stderr}`)));
  });
  return {
    vars,
    stdout,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGINT');
      return exited;
    },
  };
}

/** A DynamoDB client that goes through the proxy with the keys it printed. */
export async function dynamoDbThrough(p: TshProxy, opts: { maxAttempts?: number } = {}): Promise<DynamoDBClient> {
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: p.vars.AWS_ACCESS_KEY_ID, secretAccessKey: p.vars.AWS_SECRET_ACCESS_KEY },
    // A deadline on every request, so a fault that leaves one unanswered fails the test instead of hanging it.
    requestHandler: new NodeHttpHandler({ httpsAgent: new HttpsProxyAgent({ proxy: p.vars.HTTPS_PROXY, ca: [await readFile(p.vars.AWS_CA_BUNDLE)], keepAlive: true }), requestTimeout: 20_000 }),
    maxAttempts: opts.maxAttempts ?? 1,
  });
}
