/**
 * Role chaining, decided by the app service from what it handed out.
 *
 *   client --sts:AssumeRole--> app service: re-signed as the session's role --> STS
 *   client <-- 200, Credentials{AccessKeyId K, ...}, AssumedRoleUser{Arn A} ---+
 *                (recorded here: K -> A, role, expiry, app session)
 *   client --request signed with K--> app service: K was handed out in this app session,
 *                                     so it goes to AWS as signed, audited as A
 *   any other key (made up, from another session, expired) --> re-signed as the session's role
 *
 * Nothing the client sends decides this: no header, no claim, only a key id
 * this process saw in an AssumeRole answer it relayed in the same app
 * session. AWS itself checks the signature made with that key.
 */
import type { AssumeRoleAnswer } from '../../shared/aws/assumeRoleCall.js';

/** An access key id this app service handed out, and what it stands for. */
export interface IssuedKey {
  /** The principal AWS sees: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
  assumedRoleArn?: string;
  /** The RoleArn the client asked for. */
  roleArn?: string;
  expiration: Date;
  /** The app session the AssumeRole was made in. */
  sessionId: string;
}

/** Keys remembered at most; the oldest go first (an app session rarely chains more than a few). */
const MAX_KEYS = 10_000;

/** The access keys handed out through AssumeRole answers this app service relayed, by key id. */
export class IssuedKeys {
  private readonly byKeyId = new Map<string, IssuedKey>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Records the keys of an AssumeRole answer relayed in app session `sessionId`. */
  add(sessionId: string, answer: AssumeRoleAnswer, roleArn: string | undefined): void {
    const id = answer.credentials.accessKeyId;
    this.byKeyId.delete(id);
    this.byKeyId.set(id, { assumedRoleArn: answer.assumedRoleArn, roleArn, expiration: answer.expiration, sessionId });
    for (const key of this.byKeyId.keys()) {
      if (this.byKeyId.size <= MAX_KEYS) break;
      this.byKeyId.delete(key);
    }
  }

  /** The key, when it was handed out in this same app session and has not expired. */
  find(accessKeyId: string, sessionId: string): IssuedKey | undefined {
    const key = this.byKeyId.get(accessKeyId);
    if (!key) return undefined;
    if (key.expiration.getTime() <= this.clock().getTime()) {
      this.byKeyId.delete(accessKeyId);
      return undefined;
    }
    return key.sessionId === sessionId ? key : undefined;
  }
}
