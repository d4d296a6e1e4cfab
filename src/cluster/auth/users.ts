/**
 * Users: creating, updating and removing them, invites and resets (a link
 * with a one-hour token where the user sets a password and, when the
 * cluster asks for a second factor, enrols an authenticator).
 */
import { randomBytes } from 'node:crypto';
import { TshError } from '../../shared/errors.js';
import { newTotpSecret, totpUri, verifyTotp } from '../../shared/totp.js';
import { parseRoleArn } from '../../shared/aws/roleArn.js';
import { NAME_PATTERN } from '../../shared/resources/types.js';
import { keys, type AuthContext, type StoredUser } from './authContext.js';
import { checkPasswordStrength, hashPassword } from './passwords.js';

/** Invites and resets are valid this long. */
export const RESET_TOKEN_TTL_MS = 3_600_000;

/** A pending invite or reset. */
export interface ResetToken {
  token: string;
  user: string;
  kind: 'invite' | 'reset';
  expires: string;
  /** The authenticator secret offered with the token when the cluster uses OTP. */
  totpSecret?: string;
}

/** Reads a user or throws NOT_FOUND. */
export async function getUser(ctx: AuthContext, name: string): Promise<StoredUser> {
  const item = await ctx.backend.get<StoredUser>(keys.user(name));
  if (!item) throw new TshError('NOT_FOUND', `user "${name}" not found`, { hint: 'list users with `tctl users ls`' });
  return item.value;
}

/** Throws BAD_INPUT unless every role exists (roles created in the same batch count). */
export async function requireRolesExist(ctx: AuthContext, roles: string[], alsoCreated: string[] = []): Promise<void> {
  for (const r of roles) {
    if (alsoCreated.includes(r)) continue;
    if (!(await ctx.backend.get(keys.role(r)))) {
      throw new TshError('BAD_INPUT', `role "${r}" does not exist`, { hint: 'list roles with `tctl get roles`, or create it first with `tctl create`' });
    }
  }
}

/** Warnings for aws_role_arns trait values that are not IAM role ARNs. */
export function traitWarnings(user: string, traits: Record<string, string[]>): string[] {
  return (traits.aws_role_arns ?? [])
    .filter((arn) => !parseRoleArn(arn))
    .map((arn) => `user "${user}": trait aws_role_arns value "${arn}" is not a valid IAM role ARN (expected arn:aws:iam::ACCOUNT:role/NAME); it will match nothing until fixed`);
}

/** Creates a user with no password and returns an invite for them. */
export async function addUser(ctx: AuthContext, opts: { name: string; roles: string[]; traits: Record<string, string[]>; by: string }): Promise<ResetToken> {
  if (!NAME_PATTERN.test(opts.name)) throw new TshError('BAD_INPUT', `invalid user name "${opts.name}"`, { hint: 'user names use letters, digits and @ _ . + -' });
  if (opts.roles.length === 0) throw new TshError('BAD_INPUT', `user "${opts.name}" needs at least one role`, { hint: 'pass --roles=access (or editor, auditor, or your own roles)' });
  await requireRolesExist(ctx, opts.roles);
  const user: StoredUser = { name: opts.name, roles: opts.roles, traits: opts.traits, createdAt: ctx.clock().toISOString() };
  await ctx.backend.create(keys.user(opts.name), user).catch((e) => {
    if (e instanceof TshError && e.code === 'ALREADY_EXISTS') throw new TshError('ALREADY_EXISTS', `user "${opts.name}" already exists`, { hint: 'change it with `tctl users update`, or reset its password with `tctl users reset`' });
    throw e;
  });
  await ctx.audit.emit('user.create', { user: opts.by, name: opts.name, roles: opts.roles });
  return createResetToken(ctx, opts.name, 'invite');
}

/** Makes a one-hour token for setting a password (invites and resets). */
export async function createResetToken(ctx: AuthContext, user: string, kind: 'invite' | 'reset'): Promise<ResetToken> {
  const token = randomBytes(16).toString('hex');
  const expires = new Date(ctx.clock().getTime() + RESET_TOKEN_TTL_MS);
  const rt: ResetToken = { token, user, kind, expires: expires.toISOString(), totpSecret: ctx.secondFactor === 'otp' ? newTotpSecret() : undefined };
  // Older tokens for the same user stop working.
  for (const old of await ctx.backend.getRange<ResetToken>('/usertokens/')) {
    if (old.value.user === user) await ctx.backend.delete(old.key);
  }
  await ctx.backend.put(keys.resetToken(token), rt, { expires });
  return rt;
}

/** Clears a user's password and second factor and returns a reset link token. */
export async function resetUser(ctx: AuthContext, name: string, by: string): Promise<ResetToken> {
  const u = await getUser(ctx, name);
  delete u.passwordHash;
  delete u.totpSecret;
  await ctx.backend.batch([
    { op: 'put', key: keys.user(name), value: u },
    { op: 'delete', key: keys.loginAttempts(name) },
  ]);
  await ctx.audit.emit('user.update', { user: by, name, change: 'reset' });
  return createResetToken(ctx, name, 'reset');
}

/** What the invite page shows: who, until when, and the authenticator to enrol. */
export async function describeResetToken(ctx: AuthContext, token: string): Promise<{ user: string; expires: string; totp?: { secret: string; uri: string } }> {
  const rt = await readResetToken(ctx, token);
  return {
    user: rt.user,
    expires: rt.expires,
    totp: rt.totpSecret ? { secret: rt.totpSecret, uri: totpUri(rt.totpSecret, rt.user, ctx.clusterName) } : undefined,
  };
}

/** Sets the password (and enrols the authenticator) through an invite or reset token; the token is then spent. */
export async function completeResetToken(ctx: AuthContext, opts: { token: string; password: string; secondFactorToken?: string }): Promise<{ user: string }> {
  const rt = await readResetToken(ctx, opts.token);
  checkPasswordStrength(opts.password);
  const user = await getUser(ctx, rt.user);
  let counter: number | undefined;
  if (rt.totpSecret) {
    counter = verifyTotp(rt.totpSecret, String(opts.secondFactorToken ?? ''), ctx.clock());
    if (counter === undefined) {
      throw new TshError('BAD_CREDENTIALS', 'the one-time code is not valid', { hint: 'add the secret to your authenticator app and enter the 6-digit code it shows now' });
    }
  }
  user.passwordHash = await hashPassword(opts.password);
  user.totpSecret = rt.totpSecret;
  user.totpLastCounter = counter;
  await ctx.backend.batch([
    { op: 'put', key: keys.user(user.name), value: user },
    { op: 'delete', key: keys.resetToken(opts.token) },
    { op: 'delete', key: keys.loginAttempts(user.name) },
  ]);
  await ctx.audit.emit('user.password_change', { user: user.name });
  return { user: user.name };
}

async function readResetToken(ctx: AuthContext, token: string): Promise<ResetToken> {
  const item = /^[0-9a-f]{32}$/.test(token) ? await ctx.backend.get<ResetToken>(keys.resetToken(token)) : undefined;
  if (!item) {
    throw new TshError('NOT_FOUND', 'this invite or reset link is not valid: it has expired or was already used', {
      hint: 'ask an administrator for a new one (`tctl users reset NAME`)',
    });
  }
  return item.value;
}

/** The invite URL users open in a browser. */
export function inviteUrl(ctx: AuthContext, token: string): string {
  return `https://${ctx.proxyPublicAddr()}/web/invite/${token}`;
}
