import type { z } from 'zod';
import type { ApiDeps } from './deps.js';
import type { Logger } from '../ports/logger.js';
import type { Identity, RoleRequirement } from '../core/auth/roles.js';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RequestContext {
  deps: ApiDeps;
  correlationId: string;
  logger: Logger;
  /** The verified caller; `undefined` only on a `public` route or an open read (see Dispatcher). */
  identity: Identity | undefined;
}

export interface RouteInput<Q, B, P> {
  query: Q;
  body: B;
  params: P;
}

/**
 * One row of the route table: the local server and API Gateway are both built from it.
 * `path` is API Gateway style: `/api/agents/restart/{agent}`.
 * @example
 * { id: 'orders.pending', method: 'GET', path: '/api/orders/pending', role: 'viewer', summary: 'Working orders', query: PendingQuerySchema, handler: pendingOrders }
 */
export interface RouteSpec<Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> {
  readonly id: string;
  readonly method: HttpMethod;
  readonly path: string;
  /** Who may call it: `public`, a role, or any of several (admin always may). */
  readonly role: RoleRequirement;
  readonly summary: string;
  readonly query?: Q;
  readonly body?: B;
  readonly params?: P;
  readonly handler: (input: RouteInput<z.infer<Q>, z.infer<B>, z.infer<P>>, ctx: RequestContext) => Promise<ApiResponse>;
}

/** Keeps each row's handler typed against its own schemas while the table stays one array. */
export function route<Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(spec: RouteSpec<Q, B, P>): RouteSpec {
  return spec as unknown as RouteSpec;
}
