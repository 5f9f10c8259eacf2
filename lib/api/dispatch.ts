import { z } from 'zod';
import type { ApiResponse, RequestContext, RouteSpec } from './route-spec.js';
import { TradeOpsError } from '../core/shared/errors.js';
import { acceptedRoles, isAllowed } from '../core/auth/roles.js';
import type { Authentication } from '../ports/auth.js';
import { HttpError } from './http-error.js';

/** A transport-neutral HTTP request: what the local server and the Lambda both produce. */
export interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  rawBody: string | undefined;
  /** What the transport made of the Authorization header (local verifier / API Gateway claims). */
  auth: Authentication;
}

export interface DispatcherOptions {
  /**
   * Let anonymous callers use read-only (GET) `viewer` routes, so the runbook's plain `curl`
   * checks work. Only the local runtime bound to loopback sets it; every state-changing call and
   * every route needing more than `viewer` still needs a token. @default false
   */
  readonly openReads?: boolean;
}

interface CompiledRoute {
  spec: RouteSpec;
  regex: RegExp;
  paramNames: string[];
}

/** `{name}` segments become named captures; everything else is literal. */
function compile(spec: RouteSpec): CompiledRoute {
  const paramNames: string[] = [];
  const pattern = spec.path
    .split('/')
    .map((seg) => {
      const m = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(seg);
      if (m?.[1]) {
        paramNames.push(m[1]);
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { spec, regex: new RegExp(`^${pattern}/?$`), paramNames };
}

/** zod issues in the shape every 400 carries: the field path and what is wrong with it. */
export function formatIssues(error: z.ZodError, prefix: string): Array<{ path: string; message: string; code: string }> {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join('.'), message: i.message, code: i.code }));
}

const json = (status: number, body: unknown): ApiResponse => ({ status, body });

/**
 * Matches a request against the route table, validates query, params and body with each route's
 * zod schemas, and runs the handler. Unknown route → 404, wrong method → 405, bad input → 400
 * naming the field; a handler's unexpected error → 500 with a code, never a stack trace.
 * @example
 * const res = await dispatcher.handle({ method: 'GET', path: '/api/orders/pending', query: {}, rawBody: undefined }, ctx);
 */
export class Dispatcher {
  private readonly routes: CompiledRoute[];

  constructor(
    routes: ReadonlyArray<RouteSpec>,
    private readonly options: DispatcherOptions = {},
  ) {
    this.routes = routes.map(compile);
  }

  match(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] } | undefined {
    const allowed: string[] = [];
    for (const r of this.routes) {
      const m = r.regex.exec(path);
      if (!m) continue;
      if (r.spec.method !== method.toUpperCase()) {
        allowed.push(r.spec.method);
        continue;
      }
      const params: Record<string, string> = {};
      r.paramNames.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { route: r, params };
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }

  async handle(req: ApiRequest, baseCtx: Omit<RequestContext, 'identity'>): Promise<ApiResponse> {
    const found = this.match(req.method, req.path);
    if (!found) return json(404, { error: 'NOT_FOUND', message: `No route for ${req.method} ${req.path}` });
    if ('allowed' in found) {
      return { status: 405, body: { error: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed on ${req.path}`, allowed: found.allowed }, headers: { allow: found.allowed.join(', ') } };
    }
    const { spec } = found.route;
    // Who before what: an unauthorised caller learns nothing about the input rules.
    const access = this.authorise(spec, req.auth);
    if (!access.ok) return access.response;
    const ctx: RequestContext = { ...baseCtx, identity: access.identity };

    const query = validate(spec.query ?? EmptyQuerySchema, normaliseQuery(req.query), 'query');
    if (!query.ok) return query.response;
    const params = validate(spec.params ?? z.record(z.string(), z.string()), found.params, 'params');
    if (!params.ok) return params.response;

    let bodyValue: unknown = undefined;
    if (req.rawBody !== undefined && req.rawBody.trim() !== '') {
      try {
        bodyValue = JSON.parse(req.rawBody);
      } catch {
        return json(400, { error: 'BAD_REQUEST', message: 'Request body is not valid JSON', issues: [{ path: 'body', message: 'invalid JSON', code: 'invalid_json' }] });
      }
    }
    const body = validate(spec.body ?? z.undefined({ error: 'this route takes no body' }), bodyValue, 'body');
    if (!body.ok) return body.response;

    try {
      return await spec.handler({ query: query.value, body: body.value, params: params.value }, ctx);
    } catch (e) {
      if (e instanceof HttpError) return json(e.status, { error: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) });
      const code = e instanceof TradeOpsError ? e.code : 'INTERNAL';
      ctx.logger.error('route handler failed', { route: spec.id, code, error: e instanceof Error ? e.message : String(e) });
      return json(500, { error: code, message: e instanceof TradeOpsError ? e.message : 'Internal error; see the logs with this correlation id', correlationId: ctx.correlationId });
    }
  }

  /** 401 without or with a bad token, 403 with a token whose roles the route does not accept. */
  private authorise(spec: RouteSpec, auth: Authentication): { ok: true; identity: RequestContext['identity'] } | { ok: false; response: ApiResponse } {
    if (auth.kind === 'rejected') return { ok: false, response: unauthorised(`invalid bearer token: ${auth.reason}`) };
    if (auth.kind === 'anonymous') {
      if (spec.role === 'public') return { ok: true, identity: undefined };
      if (this.options.openReads === true && spec.method === 'GET' && spec.role === 'viewer') return { ok: true, identity: undefined };
      return { ok: false, response: unauthorised(`${spec.method} ${spec.path} needs a bearer token (role ${describeRoles(spec)})`) };
    }
    if (!isAllowed(auth.identity, spec.role)) {
      return { ok: false, response: json(403, { error: 'AUTH.FORBIDDEN', message: `${auth.identity.user} (${auth.identity.roles.join(', ') || 'no roles'}) may not ${spec.method} ${spec.path}: it needs ${describeRoles(spec)}`, required: acceptedRoles(spec.role) }) };
    }
    return { ok: true, identity: auth.identity };
  }
}

function describeRoles(spec: RouteSpec): string {
  return spec.role === 'public' ? 'none' : acceptedRoles(spec.role).join(' or ');
}

function unauthorised(message: string): ApiResponse {
  return { status: 401, body: { error: 'AUTH.UNAUTHENTICATED', message }, headers: { 'www-authenticate': 'Bearer' } };
}

/** By default a route accepts no query parameters: a typo in a parameter is an error, not ignored. */
const EmptyQuerySchema = z.strictObject({});

function normaliseQuery(q: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined) out[k] = v;
  return out;
}

function validate<T>(schema: z.ZodType<T>, value: unknown, where: string): { ok: true; value: T } | { ok: false; response: ApiResponse } {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, response: json(400, { error: 'BAD_REQUEST', message: `Invalid ${where}`, issues: formatIssues(r.error, where) }) };
}
