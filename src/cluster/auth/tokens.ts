/**
 * Join tokens: short-lived secrets an operator hands to a new app service so
 * it can join the cluster and receive a host certificate.
 */
import { randomBytes } from 'node:crypto';
import { TshError } from '../../shared/errors.js';
import { keys, type AuthContext } from './authContext.js';

/** A stored join token. */
export interface ProvisionToken {
  token: string;
  roles: Array<'app'>;
  expires: string;
  createdAt: string;
  /** What `tctl tokens add --app-name/--app-uri` said, echoed in the instructions. */
  appName?: string;
  appUri?: string;
}

/** How long a join token lives when the API call names no TTL (one hour, the same as tctl's `--ttl` default). */
export const DEFAULT_TOKEN_TTL_MS = 3_600_000;

/** Makes a join token. Only app tokens exist here. */
export async function addToken(ctx: AuthContext, opts: { type: string; ttlMs?: number; appName?: string; appUri?: string; by: string }): Promise<ProvisionToken> {
  const types = String(opts.type ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (types.length === 0 || types.some((t) => t !== 'app')) {
    throw new TshError('BAD_INPUT', `unsupported token type "${opts.type}"`, { hint: 'tsh-aws joins app services only: use --type=app' });
  }
  const ttl = opts.ttlMs ?? DEFAULT_TOKEN_TTL_MS;
  if (ttl <= 0 || ttl > 48 * 3_600_000) throw new TshError('BAD_INPUT', 'the token TTL must be between 1s and 48h');
  const now = ctx.clock();
  const expires = new Date(now.getTime() + ttl);
  const token: ProvisionToken = { token: randomBytes(16).toString('hex'), roles: ['app'], expires: expires.toISOString(), createdAt: now.toISOString(), appName: opts.appName, appUri: opts.appUri };
  await ctx.backend.create(keys.token(token.token), token, { expires });
  await ctx.audit.emit('join_token.create', { user: opts.by, roles: token.roles, expires: token.expires });
  return token;
}

/** Checks a token presented by a joining agent: it must exist, be unexpired and allow the role. */
export async function validateToken(ctx: AuthContext, token: string, role: 'app'): Promise<ProvisionToken> {
  const item = /^[0-9a-zA-Z_-]{8,128}$/.test(token) ? await ctx.backend.get<ProvisionToken>(keys.token(token)) : undefined;
  if (!item || Date.parse(item.value.expires) <= ctx.clock().getTime()) {
    throw new TshError('ACCESS_DENIED', 'the join token is not valid: it has expired, was removed, or was mistyped', {
      hint: 'make a new one with `tctl tokens add --type=app` and put it in the file teleport.join_params.token_name names',
    });
  }
  if (!item.value.roles.includes(role)) throw new TshError('ACCESS_DENIED', `the join token does not allow joining as "${role}"`, { hint: 'make one with --type=app' });
  return item.value;
}
