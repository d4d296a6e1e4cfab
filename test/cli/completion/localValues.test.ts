/**
 * The app and role values completion offers, from the profile and the apps
 * cache only: which apps each source lists, how roles narrow to an app, and
 * that a missing, foreign or broken file yields nothing rather than an error.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { localValues } from '../../../src/cli/completion/localValues.js';
import { writeFileIn } from './shellDrivers.js';
import { arns, makeTeleportHome, type FixtureHome } from './teleportHomeFixture.js';

const homes: FixtureHome[] = [];
const home = (opts?: Parameters<typeof makeTeleportHome>[0]) => {
  const h = makeTeleportHome(opts);
  homes.push(h);
  return h.home;
};
after(() => homes.forEach((h) => h.cleanup()));
const values = (...args: Parameters<typeof localValues>) => localValues(...args).map((c) => c.value);

describe('completion values from TELEPORT_HOME', () => {
  it('apps: the cached apps and the ones logged into, logged-in ones described', () => {
    const h = home({ apps: { aws: { awsRoleArn: arns.dynamo }, legacy: { awsRoleArn: arns.readOnlyDev } } });
    assert.deepEqual(values(h, 'apps'), ['aws', 'aws-prod', 'legacy']);
    assert.equal(localValues(h, 'apps')[0].description, 'logged in as ExampleTeleportDynamoDBRole');
    assert.equal(localValues(h, 'apps')[1].description, undefined);
  });

  it('app-logins: the apps logged into, or every known app when none', () => {
    assert.deepEqual(values(home(), 'app-logins'), ['aws']);
    assert.deepEqual(values(home({ apps: {} }), 'app-logins'), ['aws', 'aws-prod']);
  });

  it('roles: names (unless ambiguous across accounts) then ARNs, of the app named or of all apps', () => {
    const h = home();
    assert.deepEqual(values(h, 'roles', 'aws'), ['ExampleTeleportDynamoDBRole', 'ReadOnly', arns.dynamo, arns.readOnlyDev]);
    assert.deepEqual(values(h, 'roles', 'aws-prod'), ['ReadOnly', 'Admin', arns.readOnlyProd, arns.adminProd]);
    assert.deepEqual(values(h, 'roles'), ['ExampleTeleportDynamoDBRole', 'Admin', arns.dynamo, arns.readOnlyDev, arns.readOnlyProd, arns.adminProd]);
    assert.deepEqual(values(h, 'roles', 'no-such-app'), values(h, 'roles'));
    assert.equal(localValues(h, 'roles', 'aws')[0].description, arns.dynamo);
  });

  it('roles without a cache: the ARNs the login allows', () => {
    assert.deepEqual(values(home({ cache: null, apps: {} }), 'roles'), ['ExampleTeleportDynamoDBRole', arns.dynamo]);
  });

  it('ignores a cache written for another proxy', () => {
    const h = home({ cacheProxy: 'other.example.com' });
    assert.deepEqual(values(h, 'apps'), ['aws']);
  });

  it('yields nothing, without throwing, from an empty, broken or odd TELEPORT_HOME', () => {
    assert.deepEqual(localValues('/nonexistent/teleport-home', 'apps'), []);
    const broken = home();
    writeFileIn(join(broken, 'proxy.example.com.json'), '{ not json');
    writeFileIn(join(broken, 'cache', 'apps.json'), '[1, 2');
    assert.deepEqual(localValues(broken, 'apps'), []);
    assert.deepEqual(localValues(broken, 'roles'), []);
    const odd = home({ cache: { proxy: 'proxy.example.com', apps: [null, { name: 7 }, { name: 'ok', awsRoleArns: ['not-an-arn', 3] }] } });
    assert.deepEqual(values(odd, 'apps'), ['ok', 'aws']);
    assert.deepEqual(values(odd, 'roles', 'ok'), []);
  });
});
