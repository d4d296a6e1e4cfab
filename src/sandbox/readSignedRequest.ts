import type { IncomingMessage } from 'node:http';
import { TshError } from '../shared/errors.js';
import type { SignedRequest } from '../shared/sigv4/types.js';

/**
 * Reads a whole request into the form SigV4 verification needs: the raw path
 * and query as received, every header value (repeats kept, not joined with
 * ", " as `req.headers` would), and the body as one Buffer.
 * Throws TshError('TOO_LARGE') past maxBytes.
 */
export async function readSignedRequest(req: IncomingMessage, maxBytes: number): Promise<SignedRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new TshError('TOO_LARGE', `the request body is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return {
    method: req.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers: req.headersDistinct,
    body: Buffer.concat(chunks),
  };
}
