import { Duplex, type DuplexOptions } from 'node:stream';

/**
 * A Duplex that an `http.Server` or `http.request` can use as its socket:
 * the idle timeout net.Socket has (the server's keep-alive relies on it) and
 * no-op socket options. Tunnel streams and in-process pairs are built on it.
 */
export class SocketLike extends Duplex {
  readonly remotePort = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    readonly remoteAddress: string,
    opts?: DuplexOptions,
  ) {
    super(opts);
    this.once('close', () => this.clearTimer());
  }

  /** Idle timeout as net.Socket has it. */
  setTimeout(ms: number, cb?: () => void): this {
    this.clearTimer();
    if (cb) this.once('timeout', cb);
    if (ms > 0) {
      this.timer = setTimeout(() => this.emit('timeout'), ms);
      this.timer.unref();
    }
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Two connected sockets in one process: what one end writes, the other
 * reads. The proxy talks HTTP to an app service in its own process this way.
 */
export function socketPair(name: string): [SocketLike, SocketLike] {
  const ends: SocketLike[] = [];
  const end = (peer: () => SocketLike) =>
    new SocketLike(name, {
      allowHalfOpen: true,
      read() {},
      write(chunk: Buffer, _enc, cb) {
        peer().push(chunk);
        cb();
      },
      final(cb) {
        peer().push(null);
        cb();
      },
      destroy(err, cb) {
        if (!peer().destroyed) peer().destroy();
        cb(err);
      },
    });
  ends.push(end(() => ends[1]), end(() => ends[0]));
  return [ends[0], ends[1]];
}
