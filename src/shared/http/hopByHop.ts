/**
 * Headers that belong to one HTTP hop (RFC 9110 section 7.6.1, plus the
 * proxy ones clients still send) and must not be forwarded, in one place for
 * both hops of the AWS request path that copy headers: the local proxy and
 * the app service.
 */

/**
 * Request headers that describe one connection. `expect` goes too: each hop
 * buffers the body before forwarding, so a `100-continue` has been answered.
 */
export const HOP_BY_HOP_REQUEST: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect']);

/** Response headers that describe one connection. */
export const HOP_BY_HOP_RESPONSE: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'trailer', 'upgrade']);

/**
 * A response's headers for the next hop, as a raw `[name, value, ...]` list
 * (repeats kept apart, no header object built), without hop-by-hop ones.
 * When the body was buffered (`bufferedLength`), its length replaces any
 * Content-Length the upstream sent.
 */
export function forwardedResponseHeaders(rawHeaders: string[], bufferedLength?: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    if (HOP_BY_HOP_RESPONSE.has(name) || (bufferedLength !== undefined && name === 'content-length')) continue;
    out.push(rawHeaders[i], rawHeaders[i + 1]);
  }
  if (bufferedLength !== undefined) out.push('content-length', String(bufferedLength));
  return out;
}

/** A header's value in a raw `[name, value, ...]` list (the first of repeats), or ''. */
export function rawHeader(rawHeaders: string[], name: string): string {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === name) return rawHeaders[i + 1];
  return '';
}
