import type { Http2Stream } from 'node:http2';
import { SocketLike } from '../socketLike.js';

/**
 * Presents one HTTP/2 stream of a tunnel as a socket, so an ordinary
 * `http.Server` (or `http.request`) can speak HTTP/1.1 through it.
 *
 * (Handing the Http2Stream itself to `http.Server` corrupts responses on
 * Node 20: its writev mishandles the latin1 strings the HTTP writer
 * produces. This adapter passes Buffers only.)
 */
export class StreamSocket extends SocketLike {
  constructor(private readonly stream: Http2Stream) {
    super('tunnel', { allowHalfOpen: true });
    stream.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) stream.pause();
    });
    stream.on('end', () => this.push(null));
    stream.on('error', (err) => this.destroy(err));
    stream.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
  }

  override _read(): void {
    this.stream.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.stream.write(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.stream.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    if (!this.stream.destroyed) this.stream.close();
    cb(err);
  }
}
