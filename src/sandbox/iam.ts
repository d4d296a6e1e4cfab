import { randomBytes } from 'node:crypto';
import { TshError } from '../shared/errors.js';

/** A role the sandbox knows, as `startSandbox` and `addRole` take it. */
export interface SandboxRoleSpec {
  /** The role name, optionally under a path: `ExampleTeleportDynamoDBRole` or `team/reader`. */
  name: string;
  /** IAM actions the role may call (`dynamodb:ListTables`, `dynamodb:Get*`, `dynamodb:*`); all when absent. */
  allowedActions?: string[];
  /** Who may assume it: every principal of the account (the default) or nobody. */
  trust?: 'account' | 'none';
  /** When set, AssumeRole must pass this ExternalId. */
  externalId?: string;
}

/** A role after `addRole` accepted it: the spec with its ARN, generated role id and defaults filled in. */
export interface SandboxRole {
  arn: string;
  /** Everything after `role/`, path included. */
  name: string;
  /** AROA...: the stable id AWS puts before `:session` in AssumedRoleId. */
  roleId: string;
  /** Action patterns the role's sessions may call; every action when absent. */
  allowedActions?: string[];
  /** `account` lets any principal of the account assume it; `none` refuses everyone. */
  trust: 'account' | 'none';
  externalId?: string;
}

/** The IAM user whose long-lived key the app service uses. */
export interface UserCaller {
  kind: 'user';
  arn: string;
  userId: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** A role session created by AssumeRole. */
export interface SessionCaller {
  kind: 'session';
  /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` (the role's path is not part of it). */
  arn: string;
  /** `AROA...:SESSION`. */
  userId: string;
  role: SandboxRole;
  sessionName: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  expiresAt: Date;
  /** True when a role session assumed this role (AWS caps such sessions at one hour). */
  chained: boolean;
}

/** Whoever signed a request to the sandbox: the operator user or a role session; STS and the DynamoDB gateway check access against it. */
export type Caller = UserCaller | SessionCaller;

const ROLE_NAME = /^(?:[\w+=,.@-]{1,64}\/)*[\w+=,.@-]{1,64}$/;
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The sandbox's account: one operator user, the roles, and the temporary
 * credentials AssumeRole has handed out. STS and the DynamoDB gateway both
 * ask it who signed a request and what that caller may do.
 */
export class SandboxIam {
  readonly operator: UserCaller;
  private readonly roles = new Map<string, SandboxRole>();
  private readonly sessions = new Map<string, SessionCaller>();

  constructor(readonly accountId: string) {
    this.operator = {
      kind: 'user',
      arn: `arn:aws:iam::${accountId}:user/sandbox-operator`,
      userId: awsId('AIDA', 17),
      credentials: { accessKeyId: awsId('AKIA', 16), secretAccessKey: secret(30) },
    };
  }

  /** Adds (or replaces) a role and returns it. Throws TshError('BAD_INPUT') for an invalid name. */
  addRole(spec: SandboxRoleSpec): SandboxRole {
    if (!ROLE_NAME.test(spec.name)) throw new TshError('BAD_INPUT', `sandbox role name "${spec.name}" is not a valid IAM role name`);
    const role: SandboxRole = {
      arn: `arn:aws:iam::${this.accountId}:role/${spec.name}`,
      name: spec.name,
      roleId: awsId('AROA', 17),
      allowedActions: spec.allowedActions,
      trust: spec.trust ?? 'account',
      externalId: spec.externalId,
    };
    this.roles.set(role.arn, role);
    return role;
  }

  findRole(arn: string): SandboxRole | undefined {
    return this.roles.get(arn);
  }

  /** The caller an access key id belongs to, expired sessions included (the caller decides what expiry means). */
  callerFor(accessKeyId: string): Caller | undefined {
    if (accessKeyId === this.operator.credentials.accessKeyId) return this.operator;
    return this.sessions.get(accessKeyId);
  }

  /** Creates temporary credentials for a role session. */
  startSession(role: SandboxRole, sessionName: string, expiresAt: Date, chained: boolean): SessionCaller {
    const roleName = role.name.slice(role.name.lastIndexOf('/') + 1);
    const session: SessionCaller = {
      kind: 'session',
      arn: `arn:aws:sts::${this.accountId}:assumed-role/${roleName}/${sessionName}`,
      userId: `${role.roleId}:${sessionName}`,
      role,
      sessionName,
      credentials: { accessKeyId: awsId('ASIA', 16), secretAccessKey: secret(30), sessionToken: secret(96) },
      expiresAt,
      chained,
    };
    this.sessions.set(session.credentials.accessKeyId, session);
    return session;
  }

  /** True when the caller may perform action (`service:Operation`). The operator user may only assume roles. */
  allows(caller: Caller, action: string): boolean {
    if (caller.kind === 'user') return action === 'sts:AssumeRole' || action === 'sts:GetCallerIdentity';
    const patterns = caller.role.allowedActions;
    return patterns === undefined || patterns.some((p) => matchesAction(p, action));
  }
}

/** IAM action matching: case-insensitive, `*` matches any run of characters. */
function matchesAction(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return re.test(action);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An AWS-looking identifier: a 4-letter prefix and upper-case base32 characters. */
function awsId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += ID_CHARS[b % ID_CHARS.length];
  return out;
}

function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64');
}
