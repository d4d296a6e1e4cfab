/**
 * One request forwarded on an undici pool, its answer written straight into
 * the ServerResponse of the request it answers: the hop that forwards AWS
 * requests (the app service to AWS, the local proxy to the cluster).
 *
 *   dispatch(request) --> onHeaders: raw [name, value] pairs, hop-by-hop ones dropped --> res.writeHead
 *                         onData:    res.write (false: the upstream socket pauses until res drains)
 *                         onComplete: res.end
 *
 * Why not `https.request` and `pipe`: Node's client builds a ClientRequest,
 * an IncomingMessage with header objects and a stream per response, and an
 * Agent's bookkeeping per request; undici's dispatcher hands over raw header
 * bytes and body chunks and keeps its connections in a plain pool, which
 * measured cheaper per request (bench/README.md, "Levers").
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { HOP_BY_HOP_RESPONSE } from './hopByHop.js';

/** What the caller decides and learns about one forwarded request. */
export interface RelayHooks {
  /** The answer's status arrived (before its body). */
  onStart?(status: number): void;
  /** True: read the whole body (at most `limit` bytes) and hand it to onHeld instead of streaming it. */
  hold?(status: number): number | undefined;
  /** A held body; the caller answers `res` itself. */
  onHeld?(status: number, statusText: string, rawHeaders: string[], body: Buffer | undefined): void;
  /** The request failed before any byte of the answer reached `res`: the caller answers (or retries). */
  onError(err: Error): void;
  /** The answer went out whole (true) or was cut off (false); called once, after onStart. */
  onEnd?(complete: boolean): void;
}

/** Forwards `request` on `dispatcher` and relays the answer into `res` (see the module comment). */
export function relayResponse(dispatcher: Dispatcher, request: { path: string; method: string; headers: string[]; body: Buffer | Readable | null }, res: ServerResponse, hooks: RelayHooks): void {
  dispatcher.dispatch({ path: request.path, method: request.method as Dispatcher.HttpMethod, headers: request.headers, body: request.body }, new Relay(res, hooks));
}

class Relay implements Dispatcher.DispatchHandler {
  private abort?: (err?: Error) => void;
  private started = false;
  private ended = false;
  private holding?: { limit: number; status: number; statusText: string; raw: string[]; chunks: Buffer[]; size: number };

  constructor(
    private readonly res: ServerResponse,
    private readonly hooks: RelayHooks,
  ) {
    res.once('close', () => {
      // The client went away (or the answer was cut): stop reading from upstream.
      if (!this.ended) this.abort?.(new Error('the client closed the connection'));
    });
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    if (statusCode < 200) return true; // 100 Continue and the like: the real answer follows
    this.started = true;
    this.hooks.onStart?.(statusCode);
    const raw: string[] = [];
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i].toString('latin1');
      if (HOP_BY_HOP_RESPONSE.has(name.toLowerCase())) continue;
      raw.push(name, rawHeaders[i + 1].toString('latin1'));
    }
    const limit = this.hooks.hold?.(statusCode);
    if (limit !== undefined) {
      this.holding = { limit, status: statusCode, statusText, raw, chunks: [], size: 0 };
      return true;
    }
    const res = this.res;
    res.writeHead(statusCode, statusText, raw);
    res.on('drain', resume);
    return true;
  }

  onData(chunk: Buffer): boolean {
    const h = this.holding;
    if (h) {
      h.size += chunk.length;
      if (h.size > h.limit) {
        this.abort?.(new Error('the answer is larger than expected'));
        return false;
      }
      h.chunks.push(chunk);
      return true;
    }
    return this.res.write(chunk);
  }

  onComplete(): void {
    this.ended = true;
    const h = this.holding;
    if (h) {
      this.hooks.onHeld?.(h.status, h.statusText, h.raw, Buffer.concat(h.chunks, h.size));
      this.hooks.onEnd?.(true);
      return;
    }
    this.res.end();
    this.hooks.onEnd?.(true);
  }

  onError(err: Error): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.started) return this.hooks.onError(err);
    if (this.holding) this.hooks.onHeld?.(this.holding.status, this.holding.statusText, this.holding.raw, undefined);
    else this.res.destroy();
    this.hooks.onEnd?.(false);
  }
}
