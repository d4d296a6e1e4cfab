/**
 * Role chaining across app services: the keys one app service handed out
 * in an sts:AssumeRole answer it relayed are recorded here, in the shared
 * backend, before the answer reaches the client, so that any other app
 * service serving the same app session honours them as well
 * (cluster/app/issuedKeys is the app service's side).
 *
 *   app service A: AssumeRole answer -> issuedKeys.record -> /issuedkeys/<session>/<key id> -> answer to client
 *   app service B: request signed with that key, same session -> issuedKeys.find -> sent as signed
 */
import { TshError } from '../../shared/errors.js';
import type { IssuedKeyRecord } from '../../shared/api/types.js';
import { keys, type AuthContext } from './authContext.js';
import { getAppSession } from './apps.js';

/** What AWS access key ids look like (AKIA.../ASIA..., upper-case letters and digits). */
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
/** STS hands out credentials for at most 12 hours (36 with a chained role it is still 1). */
const MAX_LIFETIME_MS = 12 * 3_600_000;

/** Stores a key handed out in an app session that exists, until the key expires. */
export async function recordIssuedKey(ctx: AuthContext, key: IssuedKeyRecord): Promise<void> {
  const record = checked(key, ctx.clock());
  if (!(await getAppSession(ctx, record.sessionId))) throw new TshError('NOT_FOUND', 'the app session has ended');
  await ctx.backend.put(keys.issuedKey(record.sessionId, record.accessKeyId), record, { expires: new Date(record.expiration) });
}

/** The key, when an app service handed it out in this app session and it has not expired. */
export async function findIssuedKey(ctx: AuthContext, accessKeyId: string, sessionId: string): Promise<IssuedKeyRecord | undefined> {
  if (!ACCESS_KEY_ID.test(accessKeyId) || !/^[0-9a-f-]{36}$/.test(sessionId)) return undefined;
  return (await ctx.backend.get<IssuedKeyRecord>(keys.issuedKey(sessionId, accessKeyId)))?.value;
}

function checked(key: IssuedKeyRecord, now: Date): IssuedKeyRecord {
  const k = (key ?? {}) as Partial<IssuedKeyRecord>;
  const expiration = typeof k.expiration === 'string' ? Date.parse(k.expiration) : NaN;
  if (typeof k.accessKeyId !== 'string' || !ACCESS_KEY_ID.test(k.accessKeyId)) throw new TshError('BAD_INPUT', 'an issued key needs an AWS access key id');
  if (typeof k.sessionId !== 'string' || !/^[0-9a-f-]{36}$/.test(k.sessionId)) throw new TshError('BAD_INPUT', 'an issued key needs the app session id');
  if (Number.isNaN(expiration) || expiration <= now.getTime() || expiration > now.getTime() + MAX_LIFETIME_MS) throw new TshError('BAD_INPUT', 'an issued key needs an expiration within the next 12 hours');
  const text = (v: unknown) => (typeof v === 'string' && v.length <= 2048 ? v : undefined);
  return { accessKeyId: k.accessKeyId, sessionId: k.sessionId, assumedRoleArn: text(k.assumedRoleArn), roleArn: text(k.roleArn), expiration: new Date(expiration).toISOString() };
}
