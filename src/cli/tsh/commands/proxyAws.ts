import type { Command } from 'commander';
import type { CliContext } from '../../cliContext.js';
import { envFor } from '../env.js';
import { startLocalAwsProxy } from '../../../client/localproxy/localAwsProxy.js';
import { announceProxy, proxyFormats, type ProxyFormat } from '../../../client/aws/announceProxy.js';
import { parseFormat } from '../../output.js';
import { style } from '../../style.js';
import { INTERRUPTED_EXIT_CODE } from '../../../shared/errors.js';

/**
 * tsh proxy aws [-p PORT] [--app APP] [--endpoint-url] [-f FORMAT]: a local
 * HTTPS proxy (or endpoint URL) for any AWS SDK, until SIGINT or SIGTERM;
 * then it closes and exits 130 after Ctrl-C (SIGINT), as every interrupted
 * command does, and 0 after SIGTERM (a service manager's stop).
 */
export default async function (ctx: CliContext, cmd: Command): Promise<number> {
  const ce = envFor(ctx, cmd);
  const o = cmd.opts() as { port?: number; app?: string; endpointUrl?: boolean; format?: string };
  const format = parseFormat<ProxyFormat>(o.format, proxyFormats, 'unix');
  const s = style(ctx);
  const log = ce.debug ? (line: string) => void ctx.stderr.write(`${s.dim(`[tsh proxy aws] ${line}`)}\n`) : undefined;
  const proxy = await startLocalAwsProxy(ce, { app: o.app, port: o.port, endpointUrl: o.endpointUrl, log });
  let signal: NodeJS.Signals;
  try {
    // Listen for the signals before printing: a script may signal as soon as it has read the settings.
    const signalled = untilSignalled(['SIGINT', 'SIGTERM']);
    const out = announceProxy({ ...proxy, pid: process.pid }, format, o.port !== undefined);
    if (out.stderr) ctx.stderr.write(out.stderr);
    ctx.stdout.write(out.stdout);
    signal = await signalled;
  } finally {
    await proxy.close();
  }
  return signal === 'SIGINT' ? INTERRUPTED_EXIT_CODE : 0;
}

/** Resolves at the first of the given signals (which then no longer end the process by default). */
function untilSignalled(signals: NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      for (const sig of signals) process.off(sig, on);
      resolve(signal);
    };
    for (const sig of signals) process.on(sig, on);
  });
}
