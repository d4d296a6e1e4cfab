/**
 * The request target of an AWS API request, read the same way at both hops
 * that re-read requests (the local proxy and the app service).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { TshError } from '../errors.js';
import { writeAwsError } from './awsError.js';

/** A request target split at the first '?', both parts exactly as received (still percent-encoded). */
export interface RequestTarget {
  path: string;
  /** Without the '?'; '' when there is none. */
  query: string;
}

/**
 * The path and query of an origin-form target (`/path?query`), the only form
 * AWS API requests take. Anything else is refused before anything is signed:
 * an absolute-form target (`http://127.0.0.1:8080/`, `https://169.254.169.254/`)
 * forwarded as a path would name another host to the next server, and the
 * authority (`host:443`) and asterisk (`*`) forms belong to CONNECT and
 * OPTIONS of proxies, not to AWS APIs. A fragment (`#...`) is never part of
 * a request target.
 */
export function originFormTarget(url: string | undefined): RequestTarget {
  const target = url ?? '';
  if (target.charCodeAt(0) !== 0x2f /* '/' */ || target.includes('#')) throw notOriginForm(target);
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

/**
 * The target of a request as {@link originFormTarget} reads it, from a
 * request with exactly one Host header (RFC 9112 3.2: a second one is a
 * 400, since hops could disagree on which of them names the destination).
 */
export function requestTarget(req: IncomingMessage): RequestTarget {
  let hosts = 0;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (raw[i].length === 4 && raw[i].toLowerCase() === 'host') hosts++;
  if (hosts > 1) throw new TshError('BAD_INPUT', 'the request has more than one Host header', { hint: 'send one Host header, naming the AWS endpoint' });
  return originFormTarget(req.url);
}

/**
 * Answers a CONNECT (authority-form) that reached a server which already ends
 * the client's TLS (the local proxy's inner server, the app service): Node
 * hands those over without a response object, so the refusal is written to
 * the socket, AWS-shaped like every other, and the connection closed.
 */
export function refuseConnect(req: IncomingMessage, socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  writeAwsError(socket, notOriginForm(req.url ?? ''), req.headers);
}

function notOriginForm(target: string): TshError {
  const shown = target.split('?')[0].slice(0, 80);
  return new TshError('BAD_INPUT', `the request target "${shown}" is not a path: AWS API requests name only a path and query ("/path?query")`, {
    hint: 'send the request to the AWS endpoint (or through HTTPS_PROXY, which tunnels it), not in a proxy\'s absolute form',
  });
}
