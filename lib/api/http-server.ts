import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from './dispatch.js';
import type { ApiDeps } from './deps.js';
import type { Logger } from '../ports/logger.js';
import type { Authentication, TokenVerifier } from '../ports/auth.js';

const MAX_BODY_BYTES = 256 * 1024;

export interface LocalApiServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the route table over plain HTTP on one machine — the local twin of API Gateway + the API
 * Lambda. Same dispatcher, same handlers; only the transport differs.
 */
export async function startLocalApiServer(opts: ServerOptions & { host?: string; port: number }): Promise<LocalApiServer> {
  const host = opts.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => {
    void serve(req, res, opts).catch((e: unknown) => {
      opts.logger.error('local api transport error', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) send(res, 500, { error: 'INTERNAL', message: 'transport error' });
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface ServerOptions {
  dispatcher: Dispatcher;
  deps: ApiDeps;
  logger: Logger;
  /** Verifies `Authorization: Bearer …`; without one every token is refused (only public and open routes work). */
  verifier?: TokenVerifier | undefined;
}

async function serve(req: IncomingMessage, res: ServerResponse, opts: ServerOptions): Promise<void> {
  const correlationId = headerValue(req.headers['x-correlation-id']) ?? randomUUID();
  const started = performance.now();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const rawBody = await readBody(req);
  if (rawBody === null) {
    send(res, 413, { error: 'PAYLOAD_TOO_LARGE', message: `Body over ${MAX_BODY_BYTES} bytes` }, correlationId);
    return;
  }
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    query[key] = all.length === 1 ? (all[0] ?? '') : all;
  }
  const auth = await authenticate(req.headers.authorization, opts.verifier);
  const logger = opts.logger.child({ correlationId, ...(auth.kind === 'authenticated' ? { user: auth.identity.user } : {}) });
  const response = await opts.dispatcher.handle({ method: req.method ?? 'GET', path: url.pathname, query, rawBody, auth }, { deps: opts.deps, correlationId, logger });
  send(res, response.status, response.body, correlationId, response.headers);
  logger.debug('http request', { method: req.method, path: url.pathname, status: response.status, ms: Math.round((performance.now() - started) * 100) / 100 });
}

async function authenticate(header: string | undefined, verifier: TokenVerifier | undefined): Promise<Authentication> {
  if (header === undefined || header.trim() === '') return { kind: 'anonymous' };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m?.[1]) return { kind: 'rejected', reason: 'the Authorization header must be "Bearer <token>"' };
  if (verifier === undefined) return { kind: 'rejected', reason: 'this server verifies no tokens' };
  return verifier.verify(m[1]);
}

function send(res: ServerResponse, status: number, body: unknown, correlationId?: string, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...(correlationId ? { 'x-correlation-id': correlationId } : {}), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | undefined | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 0 ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headerValue(h: string | string[] | undefined): string | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  return v && /^[A-Za-z0-9._:-]{1,128}$/.test(v) ? v : undefined;
}
