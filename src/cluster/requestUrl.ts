import type { IncomingMessage } from 'node:http';
import { TshError } from '../shared/errors.js';

/**
 * The URL of a request to one of the cluster's HTTP listeners (the proxy's
 * web port, the auth listener). Node's parser lets through targets no URL
 * parser reads (`http://[`, a port past 65535): those are the client's
 * mistake, a 400, and never an exception out of a request handler, which
 * would end the whole process.
 */
export function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'https://localhost');
  } catch {
    throw new TshError('BAD_INPUT', `the request target "${String(req.url).slice(0, 80)}" is not a valid URL`);
  }
}

/** A percent-encoded path segment, decoded; BAD_INPUT when it is not valid percent-encoding. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new TshError('BAD_INPUT', 'the request path is not valid percent-encoding');
  }
}
