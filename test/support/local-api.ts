/**
 * JSON calls to a running local system's API, as the acceptance tests make them: the bearer token
 * (when one is set) on every call, the body parsed. Both are read at call time, so a test can set
 * the token after the system starts.
 */
export function localApi(baseUrl: () => string, token: () => string): {
  get: (path: string) => Promise<{ status: number; body: Record<string, unknown> }>;
  post: (path: string, body: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
} {
  const call = async (path: string, init: RequestInit) => {
    const r = await fetch(`${baseUrl()}${path}`, init);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  return {
    get: (path) => call(path, token() === '' ? {} : { headers: { authorization: `Bearer ${token()}` } }),
    post: (path, body) => call(path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token()}` }, body: JSON.stringify(body) }),
  };
}
