// A signed-in browser, as far as the load bench needs one: cookies kept, CSRF tokens read from pages.

const TOKEN = /name="_csrf" value="([^"]+)"/;

export class HttpSession {
  private readonly cookies = new Map<string, string>();
  token = '';

  constructor(private readonly base: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(this.base + path, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.keep(response);
    const body = await response.text();
    const found = TOKEN.exec(body);
    if (found) this.token = found[1]!;
    return { status: response.status, body };
  }

  async post(path: string, form: Record<string, string>): Promise<{ status: number; location: string | null }> {
    const response = await fetch(this.base + path, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.token, ...form }).toString(),
      redirect: 'manual',
    });
    this.keep(response);
    await response.arrayBuffer();
    return { status: response.status, location: response.headers.get('location') };
  }

  /** The real sign-in form: token from the page, then the POST; afterwards a token of the new session. */
  static async signIn(base: string, email: string, password: string, tokenPage: string): Promise<HttpSession> {
    const session = new HttpSession(base);
    await session.get('/login');
    const result = await session.post('/login', { email, password });
    if (result.status !== 303) throw new Error(`sign-in failed for ${email}: ${result.status}`);
    const page = await session.get(tokenPage);
    if (page.status !== 200 || session.token === '') throw new Error(`no form token on ${tokenPage} (${page.status})`);
    return session;
  }
}
