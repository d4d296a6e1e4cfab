/**
 * One client connection relayed, unparsed, over one tunnel stream, and the
 * little the relay knows of the HTTP/1.1 exchange on it without parsing it:
 * whether a request is outstanding (client bytes came after the last byte
 * of a response) and the bytes of that request so far.
 *
 *   client --bytes--> [outstanding; request bytes kept] --> tunnel stream --> app service
 *   client <--bytes-- [answered: nothing outstanding]   <-- tunnel stream
 *
 *   the stream dies (agent killed, tunnel lost) or the relay ends it (a lock):
 *     a request outstanding -> its bytes are put back on the socket and the
 *                              refuser answers it (AWS error shape, Connection: close)
 *     otherwise             -> the connection is closed
 *
 * So a request caught in flight gets a 503 an SDK retries, or the reason it
 * was refused, rather than a dropped socket. A response already under way
 * cannot be replaced: then the connection is closed.
 */
import type { ClientHttp2Stream } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { TshError } from '../../shared/errors.js';

/** Request bytes kept for a replay: a request head longer than this is not replayed. */
const MAX_KEPT_BYTES = 64 << 10;
const END_OF_HEAD = Buffer.from('\r\n\r\n');

/** Answers a request that the relay could not deliver (the app relay's refuser). */
export type Refuse = (socket: TLSSocket, err: TshError) => void;

/** See the module comment; `relay` starts the bytes flowing, `end` stops them with a reason. */
export class RelayedConnection {
  /** A new connection counts as outstanding: an HTTP client sends its request first. */
  private outstanding = true;
  /** The outstanding request's bytes up to the end of its head (body bytes after it need not be kept: the answer does not wait for them). */
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private headKept = false;
  private done = false;

  constructor(
    private readonly socket: TLSSocket,
    private readonly stream: ClientHttp2Stream,
    private readonly refuse: Refuse,
    /** What a request caught in flight is told when the stream dies by itself. */
    private readonly lost: () => TshError,
  ) {}

  relay(): void {
    const { socket, stream } = this;
    socket.on('data', this.fromClient);
    stream.on('data', this.fromAgent);
    socket.pipe(stream);
    stream.pipe(socket, { end: false });
    socket.on('close', this.closeStream);
    socket.on('error', this.closeStream);
    stream.on('end', this.streamEnded);
    stream.on('close', this.streamGone);
    stream.on('error', this.streamGone);
  }

  /**
   * Ends the relay: an outstanding request is answered with `err`, otherwise
   * the connection closes (after what was already relayed is flushed, when
   * the app service ended the stream itself).
   */
  end(err: TshError, flush = false): void {
    if (this.done) return;
    this.done = true;
    const { socket, stream } = this;
    socket.removeListener('data', this.fromClient);
    stream.removeListener('data', this.fromAgent);
    socket.unpipe(stream);
    stream.unpipe(socket);
    if (!stream.destroyed) stream.close();
    if (socket.destroyed) return;
    const replayable = this.headKept || this.keptBytes < MAX_KEPT_BYTES;
    if (!this.outstanding || !replayable) return void (flush ? socket.end() : socket.destroy());
    socket.pause();
    socket.unshift(Buffer.concat(this.kept));
    this.kept = [];
    this.refuse(socket, err);
    socket.resume();
  }

  private readonly fromClient = (chunk: Buffer) => {
    if (!this.outstanding) {
      this.outstanding = true;
      this.kept = [];
      this.keptBytes = 0;
      this.headKept = false;
    }
    if (this.headKept || this.keptBytes >= MAX_KEPT_BYTES) return;
    this.kept.push(chunk);
    this.keptBytes += chunk.length;
    this.headKept = (this.kept.length === 1 ? chunk : Buffer.concat(this.kept)).includes(END_OF_HEAD);
  };

  private readonly fromAgent = () => {
    this.outstanding = false;
    this.kept = [];
    this.keptBytes = 0;
    this.headKept = false;
  };

  private readonly streamEnded = () => this.end(this.lost(), true);
  private readonly streamGone = () => this.end(this.lost());

  private readonly closeStream = () => {
    this.done = true;
    if (!this.stream.destroyed) this.stream.close();
  };
}
