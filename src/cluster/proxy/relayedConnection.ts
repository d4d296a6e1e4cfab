/**
 * One client connection relayed, unparsed, over a tunnel stream to an app
 * service, and the little the relay knows of the HTTP/1.1 exchange on it
 * without parsing it: where each answer stands (client bytes after the last
 * response byte start a new request), the request's bytes until its answer
 * begins, and the answer's first bytes until its head is complete.
 *
 *   client --bytes--> [request bytes kept until the answer's head is through] --> stream --> app service
 *   client <--bytes-- [the head of the answer held until complete, then all streamed] <-- stream
 *
 *   the stream dies (app service killed, tunnel lost), by where the answer stood:
 *     no byte of it yet   -> the request is sent once more, to another app service serving the
 *                            app (its bytes replayed); none left, or that one dies too: 503
 *     head under way      -> 502: the app service failed while answering (it may have acted on
 *                            the request, so it is not sent again)
 *     head passed through -> the connection is closed (an answer under way cannot be replaced)
 *   the relay ends it (a lock, a session ended): the reason, where no answer has reached the client
 *
 * Refusals are answered by the app relay's refuser: the request bytes are
 * put back on the socket for it to read (AWS error shape, Connection: close).
 * Replaying is safe for a request no byte of whose answer came back only in
 * the sense an SDK's own retry is: an app service that died after sending
 * it upstream and before answering may have acted on it.
 */
import type { ClientHttp2Stream } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { TshError } from '../../shared/errors.js';

/** Request bytes kept for a replay or a refusal; a request longer than this is not sent again. */
const MAX_KEPT_BYTES = 1 << 20;
/** An answer's head longer than this is passed on before it is complete. */
const MAX_HELD_BYTES = 64 << 10;
const END_OF_HEAD = Buffer.from('\r\n\r\n');

/** Answers a request that the relay could not deliver (the app relay's refuser), with `status` instead of the error's own. */
export type Refuse = (socket: TLSSocket, err: TshError, status?: number) => void;

/** An open stream to one app service. */
export interface RelayTarget {
  hostId: string;
  stream: ClientHttp2Stream;
}

/** Where the answer to the latest request stands. */
type Phase = 'request' | 'head' | 'body';

/** What the connection tells the outside world when it cannot deliver. */
export interface RelayOutcomes {
  /** Opens a stream to an app service not in `exclude`, or undefined when none is left. */
  open(exclude: ReadonlySet<string>): RelayTarget | undefined;
  refuse: Refuse;
  /** A request caught in flight when its app service went away (and no other took it): 503. */
  lost(): TshError;
  /** An answer that stopped before its head was complete: 502. */
  brokenAnswer(): TshError;
  /** A request was sent again to another app service. */
  retried?(): void;
}

/** See the module comment; `relay` starts the bytes flowing, `end` stops them with a reason. */
export class RelayedConnection {
  private phase: Phase = 'request';
  private kept: Buffer[] = [];
  private keptBytes = 0;
  /** The kept bytes are the whole request so far (none were dropped past MAX_KEPT_BYTES). */
  private whole = true;
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** App services the current request went to. */
  private tried = new Set<string>();
  private stream!: ClientHttp2Stream;
  private done = false;

  constructor(
    private readonly socket: TLSSocket,
    private target: RelayTarget,
    private readonly outcomes: RelayOutcomes,
  ) {}

  relay(): void {
    const { socket } = this;
    socket.on('data', this.fromClient);
    socket.on('drain', this.resumeStream);
    socket.on('end', this.clientEnded);
    socket.on('close', this.closeStream);
    socket.on('error', this.closeStream);
    this.attach(this.target);
  }

  /**
   * Ends the relay: a request whose answer has not reached the client is
   * answered with `err`, otherwise the connection closes (after what was
   * already relayed is flushed, when the app service ended the stream itself).
   */
  end(err: TshError, status?: number, flush = false): void {
    if (this.done) return;
    this.done = true;
    const { socket } = this;
    socket.removeListener('data', this.fromClient);
    this.detach();
    if (socket.destroyed) return;
    const answerable = this.phase !== 'body' && this.keptBytes > 0 && (this.whole || this.headKept());
    if (!answerable) return void (flush ? socket.end() : socket.destroy());
    socket.pause();
    socket.unshift(Buffer.concat(this.kept));
    this.kept = [];
    this.outcomes.refuse(socket, err, status);
    socket.resume();
  }

  private attach(target: RelayTarget): void {
    this.target = target;
    this.stream = target.stream;
    this.tried.add(target.hostId);
    const s = this.stream;
    s.on('data', this.fromAgent);
    s.on('drain', this.resumeSocket);
    s.on('end', this.streamEnded);
    s.on('close', this.streamGone);
    s.on('error', this.streamGone);
  }

  /** Stops listening to the current stream and closes it. */
  private detach(): void {
    const s = this.stream;
    s.removeListener('data', this.fromAgent);
    s.removeListener('drain', this.resumeSocket);
    s.removeListener('end', this.streamEnded);
    s.removeListener('close', this.streamGone);
    s.removeListener('error', this.streamGone);
    s.on('error', () => {});
    if (!s.destroyed) s.close();
  }

  private headKept(): boolean {
    return Buffer.concat(this.kept).includes(END_OF_HEAD);
  }

  private readonly fromClient = (chunk: Buffer) => {
    if (this.phase === 'body') this.newRequest();
    if (this.whole && this.keptBytes + chunk.length <= MAX_KEPT_BYTES) {
      this.kept.push(chunk);
      this.keptBytes += chunk.length;
    } else if (this.whole) {
      // Too long to send again: keep what a refusal needs (the head), drop the rest.
      this.whole = false;
      if (!this.headKept()) {
        this.kept = [];
        this.keptBytes = 0;
      }
    }
    if (!this.stream.write(chunk)) this.socket.pause();
  };

  private newRequest(): void {
    this.phase = 'request';
    this.kept = [];
    this.keptBytes = 0;
    this.whole = true;
    this.tried = new Set([this.target.hostId]);
  }

  private readonly fromAgent = (chunk: Buffer) => {
    if (this.phase === 'body') return this.toClient(chunk);
    this.phase = 'head';
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    const held = this.held.length === 1 ? chunk : Buffer.concat(this.held);
    if (!held.includes(END_OF_HEAD) && this.heldBytes < MAX_HELD_BYTES) return;
    this.phase = 'body';
    this.held = [];
    this.heldBytes = 0;
    this.kept = [];
    this.keptBytes = 0;
    this.toClient(held);
  };

  private toClient(chunk: Buffer): void {
    if (!this.socket.write(chunk)) this.stream.pause();
  }

  private readonly resumeStream = () => this.stream.resume();
  private readonly resumeSocket = () => this.socket.resume();

  /** The app service ended the stream (it closed the connection after an answer): flush and close. */
  private readonly streamEnded = () => this.lose(true);
  private readonly streamGone = () => this.lose(false);

  private lose(flush: boolean): void {
    if (this.done) return;
    if (this.phase === 'request' && this.keptBytes > 0 && this.whole && this.tried.size < 2) {
      const next = this.outcomes.open(this.tried);
      if (next) {
        this.detach();
        this.attach(next);
        this.outcomes.retried?.();
        for (const chunk of this.kept) this.stream.write(chunk);
        if (this.stream.writableNeedDrain) this.socket.pause();
        else this.socket.resume();
        return;
      }
    }
    if (this.phase === 'head') return this.end(this.outcomes.brokenAnswer(), 502);
    this.end(this.outcomes.lost(), undefined, flush);
  }

  private readonly clientEnded = () => {
    if (!this.stream.destroyed) this.stream.end();
  };

  private readonly closeStream = () => {
    this.done = true;
    this.detach();
  };
}
