/**
 * A throwaway PostgreSQL 15 for tests: a fresh cluster in a temp dir, on a
 * free port of 127.0.0.1, trust auth, no fsync. Needs Debian's `postgresql-15`
 * (binaries in /usr/lib/postgresql/15/bin). initdb refuses to run as root, so
 * when the tests run as root the server runs as the `postgres` user.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';
const DATABASE = 'tshtest';

/** A running server: where to connect, and how to get rid of it (idempotent). */
export interface TestPostgres {
  connectionString: string;
  /** Makes another empty database on the same server and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server as an operator restarting it does (fast shutdown: sessions are cut, committed data kept), until startServer. */
  stopServer(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a fresh server with an empty database `tshtest`; call stop() in `after`. */
export async function startPostgres(): Promise<TestPostgres> {
  if (!existsSync(join(BIN, 'initdb'))) {
    throw new Error(`PostgreSQL 15 is not installed (${BIN}/initdb is missing); install it with: apt-get install -y postgresql-15`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'tsh-pg-'));
  const asRoot = process.getuid?.() === 0;
  const data = join(dir, 'data');
  // As root, run as postgres; cwd is the temp dir so postgres need not read ours.
  const run = (cmd: string, args: string[]) =>
    promisify(execFile)(asRoot ? 'runuser' : join(BIN, cmd), asRoot ? ['-u', 'postgres', '--', join(BIN, cmd), ...args] : args, { cwd: dir });
  const stop = async () => {
    if (existsSync(join(data, 'postmaster.pid'))) await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (asRoot) {
      const { uid, gid } = await idOf('postgres');
      await chown(dir, uid, gid);
    }
    await step('initdb', run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']));
    const port = await freePort();
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    const startServer = () => step('pg_ctl start', run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', options, 'start']), join(dir, 'server.log'));
    await startServer();
    const url = (db: string) => `postgresql://postgres@127.0.0.1:${port}/${db}`;
    const createDatabase = async (name: string) => {
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    };
    await createDatabase(DATABASE);
    return {
      connectionString: url(DATABASE),
      createDatabase,
      stopServer: () => step('pg_ctl stop', run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])),
      startServer,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Awaits a command, rethrowing with its stderr (and the server log tail) so a failure says why. */
async function step(what: string, p: Promise<{ stderr: string }>, log?: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const tail = log && existsSync(log) ? `\n${(await readFile(log, 'utf8')).split('\n').slice(-15).join('\n')}` : '';
    throw new Error(`test PostgreSQL: ${what} failed: ${e.stderr?.trim() || e.message}${tail}`);
  }
}

/** uid and gid of a local user, from `id`. */
async function idOf(user: string): Promise<{ uid: number; gid: number }> {
  const id = promisify(execFile);
  try {
    const [uid, gid] = await Promise.all([id('id', ['-u', user]), id('id', ['-g', user])]);
    return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  } catch {
    throw new Error(`test PostgreSQL: there is no "${user}" user to run the server as (initdb refuses root); install the postgresql package`);
  }
}

/** A port nobody listens on right now: bind port 0, read it, close. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolvePort(addr.port) : reject(new Error('no port'))));
    });
  });
}
