import type { IncomingMessage, ServerResponse } from 'node:http';
import { TshError, toWireError } from '../errors.js';

/** Reads a JSON request body of at most `limit` bytes; BAD_INPUT when it is not JSON, TOO_LARGE past the limit. */
export async function readJsonBody(req: IncomingMessage, limit = 1 << 20): Promise<any> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TshError('TOO_LARGE', `request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new TshError('BAD_INPUT', 'request body is not valid JSON');
  }
}

/** Sends a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), 'cache-control': 'no-store' });
  res.end(data);
}

/** Sends an error in the cluster API's shape (see shared/errors). */
export function sendError(res: ServerResponse, err: unknown): void {
  const { status, body } = toWireError(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, body);
}
