import { parseRoleArn } from '../shared/aws/roleArn.js';
import type { Caller, SandboxIam } from './iam.js';

/** An STS error as AWS reports it: HTTP status, code, message, and who is at fault. */
export class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** The outcome of a successful AssumeRole, which the STS endpoint writes out as AWS's XML answer. */
export interface AssumeRoleResult {
  /** `AROA...:SESSION`: the role's id followed by the session name. */
  assumedRoleId: string;
  /** The assumed-role session ARN (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`). */
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;
const CHAINED_MAX_SECONDS = 3600;

/**
 * STS AssumeRole with AWS's rules: parameters validated as AWS words it, the
 * role must exist in this account and trust it, a role's required ExternalId
 * must match, a role session needs sts:AssumeRole to chain (and gets at most
 * one hour). An unknown role is AccessDenied, as on AWS, which never says
 * whether a role exists.
 */
export function assumeRole(iam: SandboxIam, caller: Caller, params: URLSearchParams, now: Date): AssumeRoleResult {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  const durationText = params.get('DurationSeconds');
  const externalId = params.get('ExternalId');
  const duration = durationText === null ? 3600 : Number(durationText);

  const problems: string[] = [];
  if (roleArn === null) problems.push(nullValue('roleArn'));
  else if (roleArn.length < 20 || roleArn.length > 2048) problems.push(constraint(roleArn, 'roleArn', 'Member must have length between 20 and 2048'));
  if (sessionName === null) problems.push(nullValue('roleSessionName'));
  else {
    if (sessionName.length < 2) problems.push(constraint(sessionName, 'roleSessionName', 'Member must have length greater than or equal to 2'));
    if (sessionName.length > 64) problems.push(constraint(sessionName, 'roleSessionName', 'Member must have length less than or equal to 64'));
    if (!SESSION_NAME.test(sessionName)) {
      problems.push(constraint(sessionName, 'roleSessionName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]*'));
    }
  }
  if (!Number.isInteger(duration) || duration < 900) {
    problems.push(constraint(String(durationText), 'durationSeconds', 'Member must have value greater than or equal to 900'));
  } else if (duration > 43200) {
    problems.push(constraint(String(durationText), 'durationSeconds', 'Member must have value less than or equal to 43200'));
  }
  if (externalId !== null && (externalId.length < 2 || externalId.length > 1224 || !EXTERNAL_ID.test(externalId))) {
    problems.push(constraint(externalId, 'externalId', 'Member must have length between 2 and 1224 and satisfy regular expression pattern: [\\w+=,.@:/-]*'));
  }
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 validation error detected' : `${problems.length} validation errors detected`;
    throw new StsError(400, 'ValidationError', `${count}: ${problems.join('; ')}`);
  }

  const arn = roleArn!;
  if (!parseRoleArn(arn)) throw new StsError(400, 'ValidationError', `${arn} is invalid`);
  const denied = new StsError(403, 'AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
  const role = iam.findRole(arn);
  if (!role || role.trust !== 'account' || !iam.allows(caller, 'sts:AssumeRole')) throw denied;
  if (role.externalId !== undefined && externalId !== role.externalId) throw denied;
  const chained = caller.kind === 'session';
  if (chained && duration > CHAINED_MAX_SECONDS) {
    throw new StsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }

  const session = iam.startSession(role, sessionName!, new Date(now.getTime() + duration * 1000), chained);
  return {
    assumedRoleId: session.userId,
    arn: session.arn,
    ...session.credentials,
    expiration: session.expiresAt,
  };
}

/** STS GetCallerIdentity: who signed the request. Always allowed, as on AWS. */
export function getCallerIdentity(iam: SandboxIam, caller: Caller): { arn: string; userId: string; account: string } {
  return { arn: caller.arn, userId: caller.userId, account: iam.accountId };
}

function nullValue(member: string): string {
  return `Value null at '${member}' failed to satisfy constraint: Member must not be null`;
}

function constraint(value: string, member: string, rule: string): string {
  return `Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`;
}
