/** `teleport configure`: what it writes reads back as the roles asked for, and every missing or wrong flag is named. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configureYaml } from '../../../src/cluster/config/configure.js';
import { parseTeleportConfig, withDefaults } from '../../../src/cluster/config/teleportConfig.js';

const read = (text: string) => withDefaults(parseTeleportConfig(text, 'out.yaml'));
const app = { appName: 'aws', appUri: 'https://console.aws.amazon.com/home/home' };

test('--roles app: the seed guide\'s app service config, with the values given', () => {
  const c = read(configureYaml({ roles: ['app'], token: '/tmp/token', proxy: 'teleport.example.com:443', caPin: `sha256:${'a'.repeat(64)}`, labels: { env: 'prod' }, ...app }));
  assert.deepEqual([c.auth.enabled, c.proxy.enabled, c.app.enabled], [false, false, true]);
  assert.equal(c.joinToken, '/tmp/token');
  assert.equal(c.proxyServer, 'teleport.example.com:443');
  assert.deepEqual(c.caPins, [`sha256:${'a'.repeat(64)}`]);
  assert.deepEqual(c.app.apps.map((a) => [a.name, a.uri, a.labels]), [['aws', app.appUri, { env: 'prod' }]]);
});

test('--roles auth,proxy (the default) and auth,proxy,app; values with quotes and colons survive', () => {
  const c = read(configureYaml({ roles: ['auth', 'proxy'], clusterName: 'teleport.example.com', publicAddr: 'teleport.example.com:443', certFile: '/etc/t "x".crt', keyFile: '/etc/t.key', diagAddr: '127.0.0.1:3000', logFormat: 'json' }));
  assert.deepEqual([c.auth.enabled, c.proxy.enabled, c.app.enabled], [true, true, false]);
  assert.equal(c.auth.clusterName, 'teleport.example.com');
  assert.deepEqual(c.proxy.httpsKeyPairs, [{ keyFile: '/etc/t.key', certFile: '/etc/t "x".crt' }]);
  assert.equal(c.diagAddr, '127.0.0.1:3000');
  assert.equal(c.log.format, 'json');
  const all = read(configureYaml({ roles: ['auth', 'proxy', 'app'], ...app }));
  assert.deepEqual([all.auth.enabled, all.proxy.enabled, all.app.enabled], [true, true, true]);
});

test('refusals name the flag', () => {
  assert.throws(() => configureYaml({ roles: ['app'], proxy: 'p:3080', ...app }), /--token is required/);
  assert.throws(() => configureYaml({ roles: ['app'], token: 't', ...app }), /--proxy is required/);
  assert.throws(() => configureYaml({ roles: ['app'], token: 't', proxy: 'p:3080', appName: 'aws' }), /--app-uri is required/);
  assert.throws(() => configureYaml({ roles: ['proxy'] }), /--roles proxy needs auth too/);
  assert.throws(() => configureYaml({ roles: ['node'] }), /unknown role "node" in --roles/);
  assert.throws(() => configureYaml({ roles: ['auth', 'proxy'], certFile: '/c.crt' }), /--cert-file and --key-file go together/);
  assert.throws(() => configureYaml({ roles: ['app'], token: 't', proxy: 'p:3080', appName: 'Not An App', appUri: app.appUri }), (err: any) =>
    /^these flags make a config that would not start: "app_service\.apps\.0\.name" has an invalid value "Not An App"$/.test(err.message) && /lower-case/.test(err.hint));
});
