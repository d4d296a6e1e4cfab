/**
 * The hostile-input suite's kit (test/e2e/hostile/): one whole chain per
 * file (the sandbox as AWS, a cluster, an app service in its own process, a
 * user logged into the app), bytes sent by hand and read back whatever comes
 * (an HTTP answer, or a connection closed without one), and the loop that
 * runs a table of cases. After every case the loop checks the three things
 * each case promises: the user saw its own clear error, nothing reached AWS
 * that should not have (the sandbox counts what reached it), and the
 * processes still serve a good request.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox, type Sandbox, type SandboxRoleSpec, type SandboxTableSpec } from '../../src/sandbox/index.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from './cluster.js';
import { sandboxAwsEnv, startAppService, type TestAppService } from './appService.js';
import { readAppCredentials } from './appClient.js';
import { runBin } from './binaries.js';

export const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
export const PASSWORD = 'correct horse battery staple';

/** A user logged in with `tsh login` and `tsh apps login --aws-role ExampleTeleportDynamoDBRole aws`. */
export interface ChainUser {
  name: string;
  home: string;
  /** tsh's environment (file key store, its own TELEPORT_HOME, the Debian aws CLI first on PATH). */
  env: Record<string, string>;
  /** The app key pair and the cluster CA, as the local proxy dials the cluster with them. */
  creds: { key: string; cert: string; ca: string };
}

/** The whole chain on loopback: `close()` ends every part. */
export interface Chain {
  sandbox: Sandbox;
  cluster: TestCluster;
  agent: TestAppService;
  /** Adds a user with the access role (and the DynamoDB role ARN as a trait) and logs them in to the app. */
  user(name: string, roles?: string[]): Promise<ChainUser>;
  close(): Promise<void>;
}

/** Starts the sandbox, a cluster and an app service (its own process) joined to it. */
export async function startChain(opts: { roles?: SandboxRoleSpec[]; tables?: SandboxTableSpec[]; agentEnv?: Record<string, string> } = {}): Promise<Chain> {
  const sandbox = await startSandbox({ roles: opts.roles ?? [{ name: 'ExampleTeleportDynamoDBRole' }], tables: opts.tables });
  const homes: Array<{ cleanup(): Promise<void> }> = [];
  let cluster: TestCluster | undefined;
  let agent: TestAppService | undefined;
  const close = async () => {
    await agent?.close();
    await cluster?.close();
    await sandbox.close();
    for (const h of homes) await h.cleanup();
  };
  try {
    cluster = await startCluster();
    agent = await startAppService(cluster, { args: ['--insecure'], env: { ...sandboxAwsEnv(sandbox), ...opts.agentEnv } });
    await agent.ready();
  } catch (err) {
    await close();
    throw err;
  }
  const c = cluster;
  return {
    sandbox,
    cluster: c,
    agent,
    async user(name, roles = ['access']) {
      await addUser(c, name, roles, PASSWORD, { awsRoleArns: [ROLE] });
      const u = await userEnv();
      homes.push(u);
      const awsConfig = join(u.home, 'aws-config');
      await writeFile(awsConfig, '[default]\nregion = us-east-1\n');
      const env: Record<string, string> = { ...u.env, PATH: `/usr/bin:/bin:${u.env.PATH}`, AWS_CONFIG_FILE: awsConfig, AWS_SHARED_CREDENTIALS_FILE: join(u.home, 'none'), AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' };
      const login = await tshLogin(env, c.proxyAddr, name, PASSWORD);
      assert.equal(login.code, 0, login.stderr);
      const app = await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env });
      assert.equal(app.code, 0, app.stderr);
      return { name, home: u.home, env, creds: await readAppCredentials(env.TELEPORT_HOME, '127.0.0.1', name, 'test.example.com', 'aws') };
    },
    close,
  };
}

/**
 * What a client saw: the status of the answer and the message a user reads
 * in it (an AWS error's message, the cluster API's error.message, or the
 * body as text). Status 0: the connection ended without an answer, and
 * `message` says how (closed, reset, the TLS alert).
 */
export interface Seen {
  status: number;
  headers: Record<string, string>;
  body: string;
  message: string;
}

/** A connection that ended without an HTTP answer. */
export function closedWithout(how: string): Seen {
  return { status: 0, headers: {}, body: '', message: how };
}

/** A TCP connection to 127.0.0.1:port. */
export function dial(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Part of what a client sends: bytes, or a pause (a slow client). */
export type Part = string | Buffer | { pauseMs: number };

/**
 * Sends `parts` on `socket` in order and reads one HTTP response
 * (Content-Length or chunked framing), or `responses` of them in a row
 * (pipelined requests), and reports the last. The socket is destroyed
 * afterwards. Never rejects: a connection that ends without a whole answer
 * is reported as status 0.
 */
export function exchange(socket: Duplex, parts: Part | Part[], opts: { timeoutMs?: number; responses?: number } = {}): Promise<Seen> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (seen: Seen) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(seen);
    };
    const timer = setTimeout(() => finish(closedWithout(`no answer within ${opts.timeoutMs ?? 20_000} ms`)), opts.timeoutMs ?? 20_000);
    let left = opts.responses ?? 1;
    const parse = (final: boolean, how?: string) => {
      for (let one = parseResponse(data); one; one = parseResponse(data)) {
        data = data.subarray(one.length);
        if (--left === 0) return finish(one.seen);
      }
      if (final) finish(closedWithout(data.length ? `closed mid-answer: ${data.toString('latin1').slice(0, 200)}` : (how ?? 'closed without an answer')));
    };
    socket.on('data', (d: Buffer) => {
      data = Buffer.concat([data, d]);
      parse(false);
    });
    socket.on('end', () => parse(true, 'closed without an answer'));
    socket.on('close', () => parse(true, 'closed without an answer'));
    socket.on('error', (err: NodeJS.ErrnoException) => parse(true, err.code ?? err.message));
    void (async () => {
      for (const part of Array.isArray(parts) ? parts : [parts]) {
        if (done || socket.destroyed) return;
        if (typeof part === 'object' && !Buffer.isBuffer(part)) await new Promise((r) => setTimeout(r, part.pauseMs));
        else socket.write(part);
      }
    })();
  });
}

/** The first whole response in `data` and its length in bytes, or undefined while it is incomplete. */
function parseResponse(data: Buffer): { seen: Seen; length: number } | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) headers[l.slice(0, l.indexOf(':')).trim().toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
  const rest = data.subarray(end + 4);
  let body: { bytes: Buffer; length: number } | undefined;
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    if (rest.length >= n) body = { bytes: rest.subarray(0, n), length: n };
  } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    body = dechunk(rest);
  }
  if (!body) return undefined;
  const text = body.bytes.toString('utf8');
  return { seen: { status: Number(statusLine.split(' ')[1]), headers, body: text, message: messageOf(text) }, length: end + 4 + body.length };
}

/** A chunked body and the bytes it took, or undefined while it is incomplete. */
function dechunk(data: Buffer): { bytes: Buffer; length: number } | undefined {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (Number.isNaN(size)) return { bytes: Buffer.concat(out), length: data.length };
    if (size === 0) return data.length < eol + 4 ? undefined : { bytes: Buffer.concat(out), length: eol + 4 };
    if (data.length < eol + 2 + size + 2) return undefined;
    out.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** The message a user reads in an error body: AWS JSON or XML, the cluster API's JSON, else the text. */
export function messageOf(body: string): string {
  try {
    const j = JSON.parse(body);
    if (typeof j?.message === 'string') return j.message;
    if (typeof j?.error?.message === 'string') return j.error.message;
  } catch {
    // not JSON
  }
  const xml = /<Message>([\s\S]*?)<\/Message>/.exec(body);
  if (xml) return xml[1].replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return body.trim();
}

/** One hostile input and what it must come to. */
export interface HostileCase {
  name: string;
  /** Sends the input and reports what the client saw. */
  send(): Promise<Seen>;
  /** The status the client gets (0: the connection is closed without an answer). */
  status: number;
  /** The message the user reads. */
  message: RegExp;
  /** Requests that may reach AWS in this case; 0 unless it is about what gets through. */
  reaches?: number;
  /** Anything more the case must show (the AWS principal, the audit, the logs). */
  check?(seen: Seen, reached: Sandbox['requests']): Promise<void> | void;
}

/**
 * Registers one test per case, in one `describe` per table. Each test
 * sends its input, holds the answer to the case's status and message,
 * counts what reached AWS meanwhile, and then calls `healthy` (a good
 * request through the same hop, which must succeed: nothing crashed or
 * wedged).
 */
export function runHostileCases(tables: Record<string, HostileCase[]>, ctx: { sandbox(): Sandbox; healthy(): Promise<void> }): void {
  for (const [table, cases] of Object.entries(tables)) {
    describe(table, () => {
      for (const c of cases) {
        test(c.name, async () => {
          const requests = ctx.sandbox().requests;
          const before = requests.length;
          const seen = await c.send();
          const reached = requests.slice(before);
          assert.equal(seen.status, c.status, `status ${seen.status}, expected ${c.status}: ${seen.message || seen.body}`);
          assert.match(seen.message, c.message);
          assert.equal(reached.length, c.reaches ?? 0, `requests that reached AWS: ${reached.map((r) => `${r.service} ${r.action} ${r.status}`).join(', ') || 'none'}`);
          await c.check?.(seen, reached);
          await ctx.healthy();
        });
      }
    });
  }
}
