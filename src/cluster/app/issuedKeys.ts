/**
 * Role chaining, decided by the app services from what they handed out.
 *
 *   client --sts:AssumeRole--> app service A: re-signed as the session's role --> STS
 *   client <-- 200, Credentials{AccessKeyId K, ...}, AssumedRoleUser{Arn A} ---+
 *                (recorded here: K -> A, role, expiry, app session; and in the cluster,
 *                 before the answer is relayed, so every app service of the app knows it)
 *   client --request signed with K--> app service A or B: K was handed out in this app session,
 *                                     so it goes to AWS as signed, audited as A
 *   any other key (made up, from another session, expired) --> re-signed as the session's role
 *
 * Nothing the client sends decides this: no header, no claim, only a key id
 * an app service of this cluster saw in an AssumeRole answer it relayed in
 * the same app session. AWS itself checks the signature made with that key.
 * A key looked up in the cluster and not found is remembered as such for a
 * while (the local proxy's per-run keys are asked about once), which is safe:
 * a key is recorded before any client can know it.
 */
import type { AssumeRoleAnswer } from '../../shared/aws/assumeRoleCall.js';
import type { IssuedKeyRecord } from '../../shared/api/types.js';

/** An access key id an app service handed out, and what it stands for. */
export interface IssuedKey {
  /** The principal AWS sees: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
  assumedRoleArn?: string;
  /** The RoleArn the client asked for. */
  roleArn?: string;
  expiration: Date;
  /** The app session the AssumeRole was made in. */
  sessionId: string;
}

/** Where keys are shared between the app services of a cluster (the cluster API's issuedKeys.*). */
export interface IssuedKeysCluster {
  record(key: IssuedKeyRecord): Promise<void>;
  find(accessKeyId: string, sessionId: string): Promise<IssuedKeyRecord | undefined>;
}

/** Keys remembered at most, known and unknown each; the oldest go first (an app session rarely chains more than a few). */
const MAX_KEYS = 10_000;
/** How long a key the cluster did not know is not asked about again. */
const UNKNOWN_TTL_MS = 10 * 60_000;

/** The access keys handed out through AssumeRole answers relayed in this cluster, by key id. */
export class IssuedKeys {
  private readonly byKeyId = new Map<string, IssuedKey>();
  /** `<session>/<key id>` the cluster did not know, until when. */
  private readonly unknown = new Map<string, number>();

  constructor(
    private readonly clock: () => Date = () => new Date(),
    private readonly cluster?: IssuedKeysCluster,
    /** Told when the cluster could not record a key (this app service still honours it). */
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Records the keys of an AssumeRole answer relayed in app session `sessionId`, here and in the cluster. */
  async add(sessionId: string, answer: AssumeRoleAnswer, roleArn: string | undefined): Promise<void> {
    const id = answer.credentials.accessKeyId;
    const key: IssuedKey = { assumedRoleArn: answer.assumedRoleArn, roleArn, expiration: answer.expiration, sessionId };
    this.remember(id, key);
    await this.cluster?.record({ accessKeyId: id, sessionId, assumedRoleArn: key.assumedRoleArn, roleArn, expiration: key.expiration.toISOString() }).catch(this.onError);
  }

  /** The key, when it was handed out in this same app session (by any app service of the cluster) and has not expired. */
  async find(accessKeyId: string, sessionId: string): Promise<IssuedKey | undefined> {
    const now = this.clock().getTime();
    const key = this.byKeyId.get(accessKeyId);
    if (key && key.expiration.getTime() <= now) this.byKeyId.delete(accessKeyId);
    else if (key) return key.sessionId === sessionId ? key : undefined;
    if (!this.cluster) return undefined;
    const asked = `${sessionId}/${accessKeyId}`;
    if ((this.unknown.get(asked) ?? 0) > now) return undefined;
    const found = await this.cluster.find(accessKeyId, sessionId);
    if (!found || Date.parse(found.expiration) <= now) {
      this.unknown.delete(asked);
      this.unknown.set(asked, now + UNKNOWN_TTL_MS);
      trim(this.unknown);
      return undefined;
    }
    const shared: IssuedKey = { assumedRoleArn: found.assumedRoleArn, roleArn: found.roleArn, expiration: new Date(found.expiration), sessionId: found.sessionId };
    this.remember(accessKeyId, shared);
    return shared.sessionId === sessionId ? shared : undefined;
  }

  private remember(id: string, key: IssuedKey): void {
    this.byKeyId.delete(id);
    this.byKeyId.set(id, key);
    trim(this.byKeyId);
  }
}

/** Drops the oldest entries past MAX_KEYS (a Map keeps insertion order). */
function trim(map: Map<string, unknown>): void {
  for (const key of map.keys()) {
    if (map.size <= MAX_KEYS) break;
    map.delete(key);
  }
}
