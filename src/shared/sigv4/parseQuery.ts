import { TshError } from '../errors.js';

/**
 * Decodes a raw query string into the map the signer canonicalises, one
 * `decodeURIComponent` per name and per value.
 *
 * Why not URLSearchParams: it reads `+` as a space (form encoding), but SigV4
 * clients encode a space as `%20` and a literal `+` as `%2B`, and some send a
 * bare `+` meaning plus; decoding per part keeps what the client signed. A
 * name without `=` has the empty value, as the canonical form requires, and a
 * repeated name becomes an array (the signer sorts its values).
 * Throws TshError('BAD_INPUT') on broken percent-encoding.
 */
export function parseQuery(raw: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  if (raw === '') return query;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const seen = query[name];
    if (seen === undefined) query[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[name] = [seen, value];
  }
  return query;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new TshError('BAD_INPUT', `the query string has invalid percent-encoding near "${part.slice(0, 40)}"`);
  }
}
