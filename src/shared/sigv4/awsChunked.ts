/**
 * SigV4 streaming payloads (`Content-Encoding: aws-chunked`), read as they
 * pass: the framing S3 clients use to upload a body in pieces, each piece
 * signed on its own (chained from the header signature) or not signed at all
 * with a checksum in a trailer.
 *
 *   x-amz-content-sha256                         body
 *   STREAMING-AWS4-HMAC-SHA256-PAYLOAD           <hex size>;chunk-signature=<sig>\r\n<data>\r\n ... 0;chunk-signature=<sig>\r\n\r\n
 *   STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER   the same, then trailer lines and x-amz-trailer-signature:<sig>\r\n\r\n
 *   STREAMING-UNSIGNED-PAYLOAD-TRAILER           <hex size>\r\n<data>\r\n ... 0\r\n<trailer lines>\r\n
 *
 * A signed chunk's signature covers its data, which follows it: a verifier
 * holds one chunk (never more) until its signature has been checked, so no
 * byte of a forged chunk is passed on. Chunks larger than the body limit are
 * refused rather than held.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { TshError } from '../errors.js';

export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const EMPTY_SHA256 = createHash('sha256').digest('hex');
const HEX_SHA256 = /^[0-9a-f]{64}$/;
/** Longest chunk header or trailer line accepted (a size, a signature, a checksum: well under this). */
const MAX_LINE = 4096;

/** How a request's payload is covered by its signature, from its x-amz-content-sha256. */
export type PayloadMode =
  /** A SHA-256 of the body is signed (header given, or absent: the signer hashed the body). */
  | 'hash'
  | 'unsigned'
  | 'chunked-signed'
  | 'chunked-signed-trailer'
  | 'chunked-unsigned-trailer';

/** The payload mode a request declares; throws BAD_INPUT for values no SigV4 signer produces (or SigV4a's, which we do not check). */
export function payloadMode(declared: string | undefined): PayloadMode {
  if (declared === undefined || HEX_SHA256.test(declared)) return 'hash';
  if (declared === UNSIGNED_PAYLOAD) return 'unsigned';
  if (declared === STREAMING_SIGNED) return 'chunked-signed';
  if (declared === STREAMING_SIGNED_TRAILER) return 'chunked-signed-trailer';
  if (declared === STREAMING_UNSIGNED_TRAILER) return 'chunked-unsigned-trailer';
  if (declared.startsWith('STREAMING-')) {
    throw new TshError('BAD_INPUT', `the streaming payload ${declared.slice(0, 60)} is not supported (SigV4a chunk signatures are not checked here)`, {
      hint: 'sign with SigV4 (AWS4-HMAC-SHA256), or send the body with UNSIGNED-PAYLOAD or its SHA-256',
    });
  }
  throw new TshError('BAD_INPUT', 'x-amz-content-sha256 must be a SHA-256 hex digest, UNSIGNED-PAYLOAD or a STREAMING-* value');
}

/** True for the aws-chunked modes (the body on the wire is framed, not the object's bytes). */
export function isChunked(mode: PayloadMode): boolean {
  return mode.startsWith('chunked-');
}

/** What chunk signatures are checked against: the header signature's key, date and scope. */
export interface ChunkSigning {
  /** The derived SigV4 signing key (kSigning). */
  key: Buffer;
  /** X-Amz-Date of the request (YYYYMMDDTHHMMSSZ). */
  amzDate: string;
  /** `date/region/service/aws4_request`. */
  scope: string;
  /** The request's own (header) signature, which the first chunk's chains from. */
  seedSignature: string;
}

/** The signature of one chunk (its data's SHA-256 given), chained from the previous signature. */
export function chunkSignature(s: ChunkSigning, previous: string, dataSha256: string): string {
  const toSign = `AWS4-HMAC-SHA256-PAYLOAD\n${s.amzDate}\n${s.scope}\n${previous}\n${EMPTY_SHA256}\n${dataSha256}`;
  return createHmac('sha256', s.key).update(toSign).digest('hex');
}

/** The signature of the trailer lines (`name:value\n` each, lower-case names), chained from the final chunk's. */
export function trailerSignature(s: ChunkSigning, previous: string, canonicalTrailer: string): string {
  const toSign = `AWS4-HMAC-SHA256-TRAILER\n${s.amzDate}\n${s.scope}\n${previous}\n${createHash('sha256').update(canonicalTrailer).digest('hex')}`;
  return createHmac('sha256', s.key).update(toSign).digest('hex');
}

export interface AwsChunkedOptions {
  mode: 'chunked-signed' | 'chunked-signed-trailer' | 'chunked-unsigned-trailer';
  /** Check every chunk signature (and the trailer's) against this; absent: read the framing only. */
  signing?: ChunkSigning;
  /** 'raw': pass the framed bytes on unchanged; 'decoded': pass on the data only. */
  output: 'raw' | 'decoded';
  /** x-amz-decoded-content-length: the data must add up to exactly this. */
  decodedLength?: number;
  /** Largest chunk a verifier holds. */
  maxChunkBytes: number;
}

type State = 'size' | 'data' | 'dataEnd' | 'final' | 'trailer' | 'done';

/**
 * Reads an aws-chunked body as it streams (see the module comment). Errors
 * (TshError: BAD_CREDENTIALS for a signature that does not match, BAD_INPUT
 * for broken framing, TOO_LARGE for a chunk past the limit) destroy the
 * stream; a verifier has then passed on only chunks it checked. `trailers`
 * holds the trailer lines once the stream has ended.
 */
export class AwsChunkedReader extends Transform {
  readonly trailers: Record<string, string> = {};
  private state: State = 'size';
  private line: Buffer[] = [];
  private lineBytes = 0;
  private left = 0;
  /** A signed chunk (its header line too, for raw output) held until its signature is checked. */
  private held: Buffer[] = [];
  private hash = createHash('sha256');
  private claimed = '';
  private previous: string;
  private decoded = 0;
  private canonicalTrailer = '';
  private trailerChecked = false;
  private readonly signed: boolean;
  private readonly trailer: boolean;
  private readonly raw: boolean;

  constructor(private readonly opts: AwsChunkedOptions) {
    super();
    this.signed = opts.mode !== 'chunked-unsigned-trailer';
    this.trailer = opts.mode !== 'chunked-signed';
    this.raw = opts.output === 'raw';
    this.previous = opts.signing?.seedSignature ?? '';
  }

  /** Bytes of data (decoded) read so far. */
  get decodedBytes(): number {
    return this.decoded;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.state !== 'done') return callback(bad('the aws-chunked body ended before its final chunk'));
    if (this.opts.decodedLength !== undefined && this.decoded !== this.opts.decodedLength) {
      return callback(bad(`the aws-chunked body holds ${this.decoded} bytes, not the ${this.opts.decodedLength} its x-amz-decoded-content-length says`));
    }
    callback();
  }

  private consume(buf: Buffer): void {
    let at = 0;
    while (at < buf.length) {
      if (this.state === 'done') throw bad('the aws-chunked body goes on after its final chunk');
      if (this.state !== 'data') {
        const eol = buf.indexOf(0x0a, at);
        const end = eol < 0 ? buf.length : eol + 1;
        this.line.push(buf.subarray(at, end));
        this.lineBytes += end - at;
        if (this.lineBytes > MAX_LINE) throw bad('an aws-chunked header line is too long');
        at = end;
        if (eol >= 0) {
          const raw = this.line.length === 1 ? this.line[0] : Buffer.concat(this.line, this.lineBytes);
          this.line = [];
          this.lineBytes = 0;
          this.onLine(raw);
        }
        continue;
      }
      const n = Math.min(this.left, buf.length - at);
      const part = buf.subarray(at, at + n);
      at += n;
      this.left -= n;
      this.decoded += n;
      if (this.opts.signing) {
        this.hash.update(part);
        this.held.push(part);
      } else this.push(part);
      if (this.left === 0) {
        if (this.opts.signing) this.checkChunk();
        this.state = 'dataEnd';
      }
    }
  }

  private onLine(raw: Buffer): void {
    if (raw.length < 2 || raw[raw.length - 2] !== 0x0d) throw bad('aws-chunked lines must end with CRLF');
    const text = raw.subarray(0, raw.length - 2).toString('latin1');
    switch (this.state) {
      case 'dataEnd':
      case 'final':
        if (text !== '') throw bad(this.state === 'final' ? 'the aws-chunked body goes on after its final chunk' : 'an aws-chunked chunk is longer than its size says');
        if (this.raw) this.push(raw);
        this.state = this.state === 'final' ? 'done' : 'size';
        return;
      case 'trailer':
        return this.onTrailerLine(text, raw);
      default:
        return this.onChunkHeader(text, raw);
    }
  }

  private onChunkHeader(text: string, raw: Buffer): void {
    const semi = text.indexOf(';');
    const sizeText = semi < 0 ? text : text.slice(0, semi);
    if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText)) throw bad(`"${text.slice(0, 40)}" is not an aws-chunked chunk size`);
    const size = parseInt(sizeText, 16);
    const sig = /(?:^|;)chunk-signature=([0-9a-f]{64})(?:;|$)/.exec(semi < 0 ? '' : text.slice(semi + 1))?.[1];
    if (this.signed && !sig) throw bad('a chunk of a signed aws-chunked body has no chunk-signature');
    if (size > this.opts.maxChunkBytes && this.opts.signing) {
      throw new TshError('TOO_LARGE', `an aws-chunked chunk of ${size} bytes is larger than the ${this.opts.maxChunkBytes >> 20} MiB limit`, { hint: 'upload in smaller chunks' });
    }
    this.claimed = sig ?? '';
    if (this.raw) {
      if (this.opts.signing) this.held.push(raw);
      else this.push(raw);
    }
    if (size > 0) {
      this.left = size;
      this.state = 'data';
      return;
    }
    // The final chunk: an empty one, signed like the others.
    if (this.opts.signing) this.checkChunk();
    this.state = this.trailer ? 'trailer' : 'final';
  }

  private onTrailerLine(text: string, raw: Buffer): void {
    if (text === '') {
      if (this.signed && this.opts.signing && !this.trailerChecked) throw bad('the aws-chunked trailer has no x-amz-trailer-signature');
      if (this.raw) this.push(raw);
      this.state = 'done';
      return;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) throw bad('an aws-chunked trailer line is not "name:value"');
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') {
      if (this.opts.signing) {
        const expected = trailerSignature(this.opts.signing, this.previous, this.canonicalTrailer);
        if (!sameHex(expected, value)) throw new TshError('BAD_CREDENTIALS', 'the aws-chunked trailer signature does not match');
        this.trailerChecked = true;
      }
    } else {
      this.trailers[name] = value;
      this.canonicalTrailer += `${name}:${value}\n`;
    }
    if (this.raw) this.push(raw);
  }

  /** Checks the held chunk against its claimed signature; passes it on when it matches. */
  private checkChunk(): void {
    const expected = chunkSignature(this.opts.signing!, this.previous, this.hash.digest('hex'));
    if (!sameHex(expected, this.claimed)) {
      throw new TshError('BAD_CREDENTIALS', 'an aws-chunked chunk signature does not match: the body changed after it was signed, or it was signed with another key');
    }
    this.previous = expected;
    this.hash = createHash('sha256');
    const held = this.held;
    this.held = [];
    for (const b of held) this.push(b);
  }
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'latin1');
  const y = Buffer.from(b, 'latin1');
  return x.length === y.length && timingSafeEqual(x, y);
}

function bad(message: string): TshError {
  return new TshError('BAD_INPUT', message, { hint: 'send the body as the aws-chunked encoding defines it (Content-Encoding: aws-chunked)' });
}
