/**
 * The web UI over plain HTTP, with a stock client (undici): a cookie jar,
 * form posts with any Origin (or none), and the sign-in steps a browser
 * takes. For the refusals a browser would never let a test provoke.
 */
import { Agent, request } from 'undici';

/** One answer: status, headers and the page. */
export interface WebAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  location?: string;
}

const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });

/** A browser-like session against one proxy: cookies kept between requests. */
export class WebClient {
  readonly origin: string;
  readonly cookies = new Map<string, string>();

  constructor(proxyAddr: string) {
    this.origin = `https://${proxyAddr}`;
  }

  /** GET a path (redirects are returned, not followed). */
  get(path: string): Promise<WebAnswer> {
    return this.send('GET', path);
  }

  /**
   * POST a form. `origin` is what the browser would send as Origin (this
   * proxy's by default; `null` leaves the header out); `fetchSite` the
   * Sec-Fetch-Site it would add.
   */
  post(path: string, form: Record<string, string>, opts: { origin?: string | null; fetchSite?: string } = {}): Promise<WebAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const origin = opts.origin === undefined ? this.origin : opts.origin;
    if (origin !== null) headers.origin = origin;
    if (opts.fetchSite) headers['sec-fetch-site'] = opts.fetchSite;
    return this.send('POST', path, new URLSearchParams(form).toString(), headers);
  }

  /** The CSRF token of the form on a page. */
  static csrfOf(page: WebAnswer): string {
    const m = /name="csrf" value="([^"]+)"/.exec(page.text);
    if (!m) throw new Error(`no CSRF token on the page (HTTP ${page.status}):\n${page.text.slice(0, 500)}`);
    return m[1];
  }

  /** Signs in through the form, as a browser does; returns the answer to the form post. */
  async signIn(user: string, password: string, otp?: string): Promise<WebAnswer> {
    const page = await this.get('/web/login');
    const form: Record<string, string> = { csrf: WebClient.csrfOf(page), user, password };
    if (otp !== undefined) form.otp = otp;
    return this.post('/web/login', form);
  }

  private async send(method: string, path: string, body?: string, extra: Record<string, string> = {}): Promise<WebAnswer> {
    const headers: Record<string, string> = { ...extra };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await request(`${this.origin}${path}`, { method, headers, body, dispatcher });
    const text = await res.body.text();
    for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) <= Date.now());
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const location = res.headers.location;
    return { status: res.statusCode, headers: res.headers, text, location: typeof location === 'string' ? location : undefined };
  }
}
