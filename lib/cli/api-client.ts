/** The ops CLI talks to the API only, so each command works the same against local and AWS. */
export const DEFAULT_API_URL = 'http://localhost:8080';

export class ApiUnreachableError extends Error {
  readonly code = 'CLI.API_UNREACHABLE';
  constructor(url: string, cause: unknown) {
    super(`cannot reach the TradeOps API at ${url}: ${describe(cause)} — is \`npm start\` running, or is --api right?`);
    this.name = 'ApiUnreachableError';
  }
}

export interface ApiReply {
  status: number;
  body: unknown;
}

export interface ApiClient {
  get(path: string): Promise<ApiReply>;
  post(path: string, body: unknown): Promise<ApiReply>;
}

export function createApiClient(baseUrl: string, options: { timeoutMs?: number; token?: string | undefined; fetchImpl?: typeof fetch } = {}): ApiClient {
  const base = baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetchImpl ?? fetch;
  const request = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiReply> => {
    const url = `${base}${path}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw new ApiUnreachableError(base, e);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the raw text: a proxy error page is still worth showing
    }
    return { status: res.status, body: parsed };
  };
  return { get: (path) => request('GET', path), post: (path, body) => request('POST', path, body) };
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    // fetch wraps the socket error: `cause.code`, or per address in `cause.errors` (IPv4 and IPv6).
    const cause = (e as { cause?: { code?: string; errors?: Array<{ code?: string }> } }).cause;
    const code = cause?.code ?? cause?.errors?.find((x) => x.code)?.code;
    if (code) return code;
    if (e.cause instanceof Error) return e.cause.message;
    if (e.name === 'TimeoutError') return 'timed out';
    return e.message;
  }
  return String(e);
}
