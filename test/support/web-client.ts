/**
 * A cookie-keeping HTTP client for server-rendered forms, as a browser without JavaScript uses
 * them: GET a page, read its CSRF token from the form, POST the form back with the same cookies.
 * Redirects are not followed, so tests can assert where a POST sends the user.
 */
export class WebClient {
  private readonly cookies = new Map<string, string>();

  /** `headers` go with every request (e.g. X-Forwarded-For, to come from another client IP). */
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** Starts signed in with a session cookie (e.g. from createTestUser). */
  static signedIn(baseUrl: string, sessionCookie: string): WebClient {
    const c = new WebClient(baseUrl);
    c.cookies.set('hallway_session', sessionCookie);
    return c;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Sets a cookie as a browser would send it (a forged or copied one). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async get(path: string): Promise<Response> {
    return this.request(path, { method: 'GET' });
  }

  /** GET `formPage`, take the CSRF token of its first form, and POST `fields` to `action`. */
  async submit(formPage: string, action: string, fields: Record<string, string | string[]>): Promise<Response> {
    const page = await this.get(formPage);
    const html = await page.text();
    const token = csrfTokenIn(html);
    if (!token) throw new Error(`no CSRF token on ${formPage} (status ${page.status})`);
    return this.post(action, { _csrf: token, ...fields });
  }

  /** POST form fields as application/x-www-form-urlencoded (arrays become repeated fields). */
  async post(path: string, fields: Record<string, string | string[]>): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers({ ...this.headers, ...(init.headers as Record<string, string> | undefined) });
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(this.baseUrl + path, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

/** The value of the first `_csrf` hidden input in an HTML page. */
export function csrfTokenIn(html: string): string | undefined {
  const m = /name="_csrf" value="([^"]+)"/.exec(html) ?? /value="([^"]+)" name="_csrf"/.exec(html);
  return m?.[1];
}
