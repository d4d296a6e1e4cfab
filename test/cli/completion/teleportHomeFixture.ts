/**
 * A TELEPORT_HOME as `tsh login`, `tsh apps ls` and `tsh apps login` leave
 * it, reduced to what completion reads: the current-profile pointer, the
 * profile (logged into app `aws` as ExampleTeleportDynamoDBRole) and
 * cache/apps.json (apps `aws` and `aws-prod`; `ReadOnly` exists in two accounts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileIn } from './shellDrivers.js';

/** The profile's name (the proxy host), also the cache's `proxy`. */
export const proxy = 'proxy.example.com';
/** The IAM roles of the fixture, by what the tests call them. */
export const arns = {
  dynamo: 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole',
  readOnlyDev: 'arn:aws:iam::123456789012:role/ReadOnly',
  readOnlyProd: 'arn:aws:iam::999999999999:role/ReadOnly',
  adminProd: 'arn:aws:iam::999999999999:role/team/Admin',
};

/** A fixture TELEPORT_HOME; tests call cleanup() when done. */
export interface FixtureHome {
  home: string;
  cleanup(): void;
}

/** Options: `cache` replaces the apps cache (null: none), `apps` the profile's app logins. */
export function makeTeleportHome(opts: { cache?: unknown; apps?: Record<string, { awsRoleArn: string }>; cacheProxy?: string } = {}): FixtureHome {
  const home = mkdtempSync(join(tmpdir(), 'completion-home-'));
  writeFileIn(join(home, 'current-profile'), proxy + '\n');
  const apps = opts.apps ?? { aws: { awsRoleArn: arns.dynamo } };
  writeFileIn(
    join(home, `${proxy}.json`),
    JSON.stringify({
      name: proxy,
      webProxyAddr: `${proxy}:3080`,
      username: 'alice',
      cluster: 'example',
      roles: ['aws-dynamodb-access'],
      traits: {},
      awsRoleArns: [arns.dynamo],
      validUntil: '2099-01-01T00:00:00Z',
      secretStore: 'file',
      apps: Object.fromEntries(Object.entries(apps).map(([name, a]) => [name, { name, sessionId: 's', publicAddr: `${name}.${proxy}`, awsRoleArn: a.awsRoleArn, uri: 'https://console.aws.amazon.com', expires: '2099-01-01T00:00:00Z' }])),
    }),
  );
  const cache =
    opts.cache === undefined
      ? {
          proxy: opts.cacheProxy ?? proxy,
          apps: [
            { name: 'aws', awsRoleArns: [arns.dynamo, arns.readOnlyDev] },
            { name: 'aws-prod', awsRoleArns: [arns.readOnlyProd, arns.adminProd] },
          ],
        }
      : opts.cache;
  if (cache !== null) writeFileIn(join(home, 'cache', 'apps.json'), JSON.stringify(cache) + '\n');
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}
