/**
 * HAProxy in front of several proxies, with the README's own haproxy.cfg
 * (the block after "haproxy.cfg" in "Running several instances"), its
 * addresses replaced by loopback ones: so the documented config is the one
 * the tests run. Debian's `haproxy` in the foreground (`-db`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { freePort } from './cluster.js';
import { repoRoot } from './binaries.js';

export interface TestHaproxy {
  /** host:port clients and agents dial. */
  addr: string;
  /** The config it runs. */
  config: string;
  logs(): string;
  close(): Promise<void>;
}

/** The README's haproxy.cfg. */
export async function readmeHaproxyConfig(): Promise<string> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const m = /haproxy\.cfg[^\n]*\n+```haproxy\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('README.md has no ```haproxy block after "haproxy.cfg"');
  return m[1];
}

/** Starts HAProxy on a free loopback port, balancing over `proxies` (host:port of each proxy's web listener). */
export async function startHaproxy(proxies: string[], port?: number): Promise<TestHaproxy> {
  const template = await readmeHaproxyConfig();
  const servers = [...template.matchAll(/^(\s*server \S+ )(\S+)(.*)$/gm)];
  if (servers.length !== proxies.length) throw new Error(`the README's config has ${servers.length} servers, the test ${proxies.length} proxies`);
  const addr = `127.0.0.1:${port ?? (await freePort())}`;
  let i = 0;
  const config = template.replace(/^(\s*bind )\S+(.*)$/m, `$1${addr}$2`).replace(/^(\s*server \S+ )(\S+)(.*)$/gm, (_all, head: string, _addr: string, tail: string) => `${head}${proxies[i++]}${tail}`);
  const dir = await mkdtemp(join(tmpdir(), 'tsh-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, config);
  let output = '';
  const child: ChildProcess = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${output}\n${config}`);
    if (await accepts(addr)) return { addr, config, logs: () => output, close };
    if (Date.now() > deadline) {
      await close();
      throw new Error(`haproxy did not listen on ${addr}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function accepts(addr: string): Promise<boolean> {
  const i = addr.lastIndexOf(':');
  return new Promise((resolve) => {
    const s = net.connect({ host: addr.slice(0, i), port: Number(addr.slice(i + 1)) }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}
