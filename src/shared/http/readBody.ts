/**
 * The request body limit of the AWS request path, in one place for both hops
 * that buffer a body (the local proxy, to check its signature; the app
 * service, to re-sign it), and the reader that holds a stream to it.
 *
 * 16 MiB is DynamoDB's own request limit and well above what query and JSON
 * APIs send; Teleport's app service allows 70 MiB for the same reason.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { TshError } from '../errors.js';

/** Largest request body either hop accepts. */
export const MAX_BODY_BYTES = 16 << 20;

/** The refusal for a body past `limit`; `declared` is its Content-Length when it said so up front. */
export function bodyTooLarge(declared?: number, limit = MAX_BODY_BYTES): TshError {
  const size = declared === undefined ? '' : `of ${declared} bytes `;
  return new TshError('TOO_LARGE', `request body ${size}is larger than the ${limit >> 20} MiB limit`, {
    hint: 'send a smaller request (batch writes in parts), or send a large body unhashed (UNSIGNED-PAYLOAD, or aws-chunked as S3 clients do for uploads), which streams',
  });
}

/**
 * Reads a whole body, refusing more than `limit` bytes with TOO_LARGE (the
 * rest of the stream is drained, not kept). Event listeners rather than an
 * async iterator: this runs for every request, and the iterator's promise
 * per chunk shows in profiles.
 */
export function readBody(stream: Readable, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.off('data', onData);
        stream.resume();
        reject(bodyTooLarge(undefined, limit));
        return;
      }
      chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    stream.once('error', reject);
    stream.once('aborted', () => reject(new TshError('BAD_INPUT', 'the client closed the connection mid-request')));
  });
}

/** How long the rest of a refused body is still read (and dropped) before its connection is closed: long enough for a client on a loaded machine to send 16 MiB more; the local proxy listens on loopback only, so a client holding it is only its own user. */
const LINGER_MS = 30_000;

/**
 * After a body is refused as too large, its client is most likely still
 * sending it; a connection closed under it is reset, and the client may then
 * never read the refusal (EPIPE instead of the 413). So the rest is read and
 * dropped for up to LINGER_MS (a lingering close, as web servers do) and the
 * connection closed after that; a body that ends in time leaves it usable.
 */
export function lingerOverRefusedBody(req: IncomingMessage, res: ServerResponse): void {
  // Even when the request said `Connection: close` (Node's clients do, without a keep-alive agent): Node would close right after the answer.
  res.shouldKeepAlive = true;
  const socket = req.socket;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref(); // a shutdown does not wait for it
  const done = () => clearTimeout(timer);
  req.once('end', done);
  socket.once('close', done);
  req.resume();
}
