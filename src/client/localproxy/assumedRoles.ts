/**
 * Role chaining through the local proxy.
 *
 *   client --sts:AssumeRole (fake keys)--> local proxy --> cluster --> STS
 *   client <--- 200 with temporary Credentials ---------------------+
 *            (the proxy remembers AccessKeyId -> secret, token, role)
 *   client --request signed with those keys--> local proxy: verified with them, forwarded
 *
 * Tools such as Terraform assume a second role with the credentials the
 * first one gave them, then sign with the new keys. Those keys came back
 * through this proxy, so it can check signatures made with them exactly as
 * it checks the fake keys; nothing else is accepted. (The app service keeps
 * its own record of the keys it handed out and decides from that alone
 * whether a request goes to AWS as signed: see cluster/app/issuedKeys.)
 */
import type { AssumeRoleAnswer } from '../../shared/aws/assumeRoleCall.js';

/** Temporary credentials an AssumeRole answered through this proxy, and the role they stand for. */
export interface AssumedRole extends AssumeRoleAnswer {
  /** The role the client asked for (RoleArn of the request), when known. */
  roleArn?: string;
}

/** How many chained credentials are kept; the oldest go first. */
const MAX_ENTRIES = 1000;

/** The chained credentials this proxy has seen, by access key id. */
export class AssumedRoleStore {
  private readonly byKeyId = new Map<string, AssumedRole>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Remembers credentials from an AssumeRole response. */
  add(role: AssumedRole): void {
    this.byKeyId.delete(role.credentials.accessKeyId);
    this.byKeyId.set(role.credentials.accessKeyId, role);
    for (const key of this.byKeyId.keys()) {
      if (this.byKeyId.size <= MAX_ENTRIES) break;
      this.byKeyId.delete(key);
    }
  }

  /** The unexpired credentials for an access key id, if this proxy handed them out. */
  get(accessKeyId: string): AssumedRole | undefined {
    const role = this.byKeyId.get(accessKeyId);
    if (role && role.expiration.getTime() <= this.clock().getTime()) {
      this.byKeyId.delete(accessKeyId);
      return undefined;
    }
    return role;
  }

  /** True when the key id was handed out here but has expired (for a clearer refusal). */
  has(accessKeyId: string): boolean {
    return this.byKeyId.has(accessKeyId);
  }
}
