import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import qs from 'qs';

type Form = Record<string, unknown>;

/** A browser-like client over app.inject: keeps cookies, finds the CSRF token in pages. */
export class TestClient {
  private cookies = new Map<string, string>();
  private token: string | null = null;

  constructor(private readonly app: FastifyInstance) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private remember(response: LightMyRequestResponse): void {
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } });
    this.remember(response);
    const found = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (found) this.token = found[1]!;
    return response;
  }

  /** The CSRF token of the current session (fetched from a page when not yet known). */
  async csrf(from = '/login'): Promise<string> {
    if (!this.token) await this.get(from);
    if (!this.token) throw new Error(`no _csrf field found on ${from}`);
    return this.token;
  }

  async post(url: string, form: Form = {}, options: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
    const token = options.csrf === undefined ? await this.csrf(this.cookies.has('sid') ? '/account' : '/login') : options.csrf;
    const body = qs.stringify(token === null ? form : { _csrf: token, ...form }, { encodeValuesOnly: true });
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader(), ...options.headers },
    });
    this.remember(response);
    return response;
  }

  /** Sign in through the real form; afterwards the CSRF token is the new session's. */
  async login(email: string, password: string): Promise<LightMyRequestResponse> {
    this.token = null;
    const response = await this.post('/login', { email, password });
    this.token = null;
    return response;
  }

  forgetToken(): void {
    this.token = null;
  }
}

export async function signedIn(app: FastifyInstance, user: { email: string; password: string }): Promise<TestClient> {
  const client = new TestClient(app);
  const response = await client.login(user.email, user.password);
  if (response.statusCode !== 303) throw new Error(`login failed for ${user.email}: ${response.statusCode}`);
  return client;
}
