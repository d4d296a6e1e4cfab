/**
 * What the app service's lock-check tests (API requests and console sign-in)
 * share: an app identity, and the two handler dependencies the check sits
 * between (the lock look-up, and an RBAC step that records who reached it).
 */
import { findLock, lockError } from '../../src/cluster/auth/locks.js';
import type { AccessChecker } from '../../src/cluster/auth/accessChecker.js';
import type { Identity } from '../../src/shared/identity/identity.js';
import type { Lock } from '../../src/shared/resources/types.js';

export const LOCK_TEST_ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';

/** An app certificate's identity for app `aws`, good for an hour. */
export function appIdentity(username: string, roles: string[] = ['access']): Identity {
  return {
    kind: 'app',
    username,
    cluster: 'test.example.com',
    roles,
    traits: {},
    awsRoleArns: [LOCK_TEST_ROLE],
    expires: new Date(Date.now() + 3_600_000).toISOString(),
    app: { name: 'aws', publicAddr: 'aws.example.com', sessionId: '00000000-0000-0000-0000-000000000000', awsRoleArn: LOCK_TEST_ROLE },
  };
}

/** `lockedOut` over `locks`, and a `checkerFor` that notes each identity reaching RBAC in `reachedRbac` (and allows nothing). */
export function lockCheckDeps(locks: Lock[], reachedRbac: string[]) {
  return {
    checkerFor: async (id: Identity) => {
      reachedRbac.push(id.username);
      return { canUseAwsRole: () => false } as unknown as AccessChecker;
    },
    lockedOut: (id: Identity) => {
      const lock = findLock(locks, id, new Date());
      return lock && lockError(lock);
    },
  };
}
