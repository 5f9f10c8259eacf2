import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, errors as joseErrors, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';
import { identityFromClaims, UserRoleSchema, type UserRole } from '../../core/auth/roles.js';
import { TradeOpsError } from '../../core/shared/errors.js';
import type { Authentication, TokenVerifier } from '../../ports/auth.js';

/** The issuer and audience of local tokens; a token of another install or of Cognito is refused. */
export const LOCAL_ISSUER = 'tradeops-local';
export const LOCAL_AUDIENCE = 'tradeops-ops-api';
const ALG = 'ES256';
export const DEFAULT_TOKEN_TTL_SECONDS = 8 * 3600;

/** Where `npm start` keeps its signing key, under the data directory it already owns. */
export const localKeyFile = (dataDir: string): string => join(dataDir, 'auth', 'signing-key.jwk.json');

const StoredKeySchema = z.strictObject({ kid: z.string().min(1), privateJwk: z.looseObject({ kty: z.literal('EC') }), publicJwk: z.looseObject({ kty: z.literal('EC') }) });

export const UsernameSchema = z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'a user name is 1-64 letters, digits, dots, dashes, underscores or @');

/**
 * The local stand-in for the Cognito user pool: an ES256 key created on first start in the data
 * directory (mode 0600), tokens carrying Cognito's claim names (`username`, `cognito:groups`) so
 * one identity mapping serves both runtimes. Whoever can read the data directory can mint tokens —
 * the same trust as whoever can read the local database; it is a development and paper-trading
 * control, not a production identity provider.
 */
export class LocalTokenIssuer implements TokenVerifier {
  private constructor(
    private readonly kid: string,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly now: () => Date,
  ) {}

  /** Loads the key of `dataDir`, creating it on first use. */
  static async open(dataDir: string, options: { now?: () => Date; create?: boolean } = {}): Promise<LocalTokenIssuer> {
    const file = localKeyFile(dataDir);
    if (!existsSync(file)) {
      if (options.create === false) throw new TradeOpsError('AUTH.NO_LOCAL_KEY', `no local signing key at ${file}: start the system once with \`npm start\` (or pass --data-dir of a running system)`);
      const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
      const stored = { kid: randomUUID(), privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
    }
    const parsed = StoredKeySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new TradeOpsError('AUTH.BAD_LOCAL_KEY', `${file} is not a TradeOps signing key; delete it to make a new one (every token minted so far stops working)`);
    const privateKey = (await importJWK(parsed.data.privateJwk as JWK, ALG)) as CryptoKey;
    const publicKey = (await importJWK(parsed.data.publicJwk as JWK, ALG)) as CryptoKey;
    return new LocalTokenIssuer(parsed.data.kid, privateKey, publicKey, options.now ?? (() => new Date()));
  }

  /**
   * A signed token for `user` with `roles` (Cognito groups).
   * @example await issuer.mint('john.doe', ['admin']) // 'eyJhbGciOiJFUzI1NiIs…'
   */
  async mint(user: string, roles: readonly UserRole[], ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS): Promise<string> {
    UsernameSchema.parse(user);
    for (const r of roles) UserRoleSchema.parse(r);
    const iat = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({ username: user, 'cognito:groups': [...roles], token_use: 'access' })
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: 'JWT' })
      .setSubject(user)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  async verify(token: string): Promise<Authentication> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: [ALG], currentDate: this.now() });
      const identity = identityFromClaims(payload);
      if (identity === undefined) return { kind: 'rejected', reason: 'token lacks the subject or issuer claims' };
      return { kind: 'authenticated', identity };
    } catch (e) {
      return { kind: 'rejected', reason: describeJoseError(e) };
    }
  }
}

function describeJoseError(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return 'token expired: get a new one with `tradeops login --local`';
  if (e instanceof joseErrors.JWTClaimValidationFailed) return `token claim "${e.claim}" is not accepted here (${e.reason})`;
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature does not verify: minted by another install or altered';
  if (e instanceof joseErrors.JOSEError) return `malformed token (${e.code})`;
  return 'malformed token';
}
