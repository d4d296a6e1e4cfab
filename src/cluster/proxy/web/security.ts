/**
 * The web UI's browser-facing rules, in one place: the headers every
 * response carries, the cookies, and the checks every state-changing
 * request passes (a form body, an Origin of this proxy, a CSRF token).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TshError } from '../../../shared/errors.js';

/** The web session's cookie: `__Host-` pins it to this origin, path `/`, HTTPS only. */
export const SESSION_COOKIE = '__Host-tsh_session';
/** Before sign-in there is no session: the sign-in form's CSRF token is checked against this cookie instead. */
export const LOGIN_COOKIE = '__Host-tsh_login';

/** Scripts and styles from the proxy only (no inline script), nothing framed, forms to the proxy only. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Largest form body the web UI reads. */
const MAX_FORM_BYTES = 16 << 10;

/** Sets the headers every web UI response carries; pages are never cached, so no signed-in page outlives its session. */
export function setSecurityHeaders(res: ServerResponse, opts: { cache?: 'none' | 'immutable' } = {}): void {
  res.setHeader('content-security-policy', CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  res.setHeader('cache-control', opts.cache === 'immutable' ? 'public, max-age=31536000, immutable' : 'no-store');
}

/** The request's cookies by name (the first of a repeated name). */
export function readCookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (name && !(name in out)) out[name] = part.slice(i + 1).trim();
  }
  return out;
}

/** A Set-Cookie value for a secret the browser holds but its scripts never see. */
export function secretCookie(name: string, value: string, expires: Date): string {
  return `${name}=${value}; Path=/; Expires=${expires.toUTCString()}; HttpOnly; Secure; SameSite=Strict`;
}

/** A Set-Cookie value that removes a cookie. */
export function clearedCookie(name: string): string {
  return `${name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict`;
}

/**
 * True when a POST comes from a page of this proxy, as the browser tells
 * (no other site can forge either header): its Origin names the origin the
 * request was sent to. Our pages' no-referrer policy makes browsers send
 * `Origin: null` on their own form posts, and then Sec-Fetch-Site must say
 * `same-origin`. A request with neither (not from a browser) is refused.
 */
export function fromThisOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === 'null') return req.headers['sec-fetch-site'] === 'same-origin';
  return origin === `https://${req.headers.host ?? ''}`;
}

/** Reads an HTML form post, after {@link fromThisOrigin} said it comes from this proxy. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (!fromThisOrigin(req)) {
    req.resume();
    throw new TshError('ACCESS_DENIED', 'this request did not come from a page of this proxy (its Origin does not match)', { hint: 'reload the page and try again' });
  }
  if (!/^application\/x-www-form-urlencoded\b/.test(String(req.headers['content-type'] ?? ''))) {
    req.resume();
    throw new TshError('BAD_INPUT', 'expected a form submission');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new TshError('TOO_LARGE', 'the form is too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The refusal for a state-changing request without this session's CSRF token. */
export function csrfRefusal(): TshError {
  return new TshError('ACCESS_DENIED', 'this form has expired or did not come from this proxy (missing or wrong CSRF token)', { hint: 'reload the page and try again' });
}
