/**
 * One header's value as SigV4 canonicalises it: repeated fields joined with
 * ',' (no space), and `host` and `:authority` read as the same header.
 *
 * Why the alias: the JS SDK over HTTP/2 signs the literal `:authority`, and
 * Node's HTTP/2 request headers have no `host`; an HTTP/1 hop in between does
 * the reverse. Both name the same value, so either satisfies the other.
 */
export function readHeader(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  let value = headers[name];
  if (value === undefined && name === 'host') value = headers[':authority'];
  if (value === undefined && name === ':authority') value = headers.host;
  return Array.isArray(value) ? value.join(',') : value;
}
