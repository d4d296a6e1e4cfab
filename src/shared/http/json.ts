import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { TshError, toWireError } from '../errors.js';

/** Reads a JSON object from a request body of at most `limit` bytes; BAD_INPUT when it is not one, TOO_LARGE past the limit. */
export async function readJsonBody(req: IncomingMessage, limit = 1 << 20): Promise<any> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TshError('TOO_LARGE', `request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new TshError('BAD_INPUT', 'request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TshError('BAD_INPUT', 'the request body must be a JSON object');
  return body;
}

/** A string field of a JSON body ('' when absent); BAD_INPUT naming it when it is anything else. */
export function stringField(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new TshError('BAD_INPUT', `"${name}" must be a string`);
  return v;
}

/** A number field of a JSON body (undefined when absent); BAD_INPUT naming it when it is anything else. */
export function numberField(body: Record<string, unknown>, name: string): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TshError('BAD_INPUT', `"${name}" must be a number`);
  return v;
}

/** Sends a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), 'cache-control': 'no-store' });
  res.end(data);
}

/** The same error written straight to a socket (for requests Node's parser refused), closing it after. */
export function writeWireError(socket: Duplex, err: unknown, status?: number): void {
  const wire = toWireError(err);
  const data = JSON.stringify(wire.body);
  const code = status ?? wire.status;
  socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(data)}\r\nconnection: close\r\n\r\n${data}`);
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
