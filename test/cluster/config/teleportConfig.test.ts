import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTeleportConfig, withDefaults, DEFAULTS } from '../../../src/cluster/config/teleportConfig.js';

const seedAppService = `version: v3
teleport:
  join_params:
    token_name: "/tmp/token"
    method: token
  proxy_server: "teleport.example.com:443"
auth_service:
  enabled: off
proxy_service:
  enabled: off
ssh_service:
  enabled: off
app_service:
  enabled: true
  apps:
  - name: aws
    uri: https://console.aws.amazon.com/home/home
`;

test("the seed guide's app service config reads as written", () => {
  const c = withDefaults(parseTeleportConfig(seedAppService, 'teleport.yaml'));
  assert.equal(c.auth.enabled, false);
  assert.equal(c.proxy.enabled, false);
  assert.equal(c.app.enabled, true);
  assert.equal(c.joinToken, '/tmp/token');
  assert.equal(c.proxyServer, 'teleport.example.com:443');
  assert.deepEqual(c.app.apps, [{ name: 'aws', uri: 'https://console.aws.amazon.com/home/home', description: undefined, labels: {}, publicAddr: undefined, awsExternalId: undefined }]);
  assert.deepEqual(c.warnings, []);
});

test('booleans read the way YAML users write them', () => {
  for (const [word, value] of [['yes', true], ['no', false], ['on', true], ['off', false], ['true', true], ['false', false], ['"yes"', true], ['Off', false]] as const) {
    const c = parseTeleportConfig(`version: v3\nauth_service:\n  enabled: ${word}\n`, 'f.yaml');
    assert.equal(c.auth?.enabled, value, word);
  }
  assert.throws(() => parseTeleportConfig('auth_service:\n  enabled: maybe\n', 'f.yaml'), /f\.yaml:2: "auth_service\.enabled" must be a boolean/);
});

test('defaults are filled in one place', () => {
  const c = withDefaults(parseTeleportConfig('version: v3\n', 'f.yaml'));
  assert.equal(c.auth.listenAddr, DEFAULTS.authListenAddr);
  assert.equal(c.proxy.webListenAddr, DEFAULTS.webListenAddr);
  assert.equal(c.auth.secondFactor, 'otp');
  assert.equal(c.dataDir, '/var/lib/teleport');
  assert.equal(c.storage.type, 'sqlite');
  assert.equal(c.app.enabled, false);
});

test('an unknown or misspelt key names the key, its line and the closest known key', () => {
  const text = 'version: v3\nteleport:\n  data_dir: /x\n  proxy_servr: a:1\n';
  assert.throws(() => parseTeleportConfig(text, '/etc/teleport.yaml'), (e: any) => e.code === 'CONFIG' && e.message === '/etc/teleport.yaml:4: unknown key "proxy_servr" in "teleport"' && e.hint === 'did you mean "proxy_server"?');
  assert.throws(() => parseTeleportConfig('version: v3\napp_service:\n  apps:\n  - name: aws\n    uri: https://console.aws.amazon.com/\n    lables: {a: b}\n', 'f.yaml'), /f\.yaml:6: unknown key "lables" in "app_service\.apps\.0"/);
  assert.throws(() => parseTeleportConfig('version: v3\nproxy_sevice:\n  enabled: yes\n', 'f.yaml'), (e: any) => /f\.yaml:2: unknown key "proxy_sevice"/.test(e.message) && /proxy_service/.test(e.hint));
});

test('bad YAML names the line', () => {
  assert.throws(() => parseTeleportConfig('version: v3\nteleport:\n  data_dir: [unclosed\n', 'f.yaml'), (e: any) => e.code === 'CONFIG' && /^f\.yaml:\d+: invalid YAML/.test(e.message));
});

test('rules that span fields are checked with a hint', () => {
  assert.throws(() => withDefaults(parseTeleportConfig('auth_service: {enabled: no}\nproxy_service: {enabled: no}\napp_service:\n  enabled: yes\n  apps: [{name: aws, uri: "https://console.aws.amazon.com/"}]\n', 'f.yaml')), /needs teleport\.proxy_server/);
  assert.throws(() => withDefaults(parseTeleportConfig('app_service:\n  enabled: yes\n', 'f.yaml')), /lists no apps/);
  assert.throws(() => withDefaults(parseTeleportConfig('app_service:\n  apps: [{name: aws, uri: "ftp://x"}]\n', 'f.yaml')), /invalid uri "ftp:\/\/x"/);
  assert.throws(() => parseTeleportConfig('app_service:\n  apps: [{name: AWS_App, uri: "https://x"}]\n', 'f.yaml'), /invalid value "AWS_App"/);
  assert.throws(() => parseTeleportConfig('auth_service:\n  authentication: {second_factor: webauthn}\n', 'f.yaml'), /must be one of off, otp/);
  assert.throws(() => parseTeleportConfig('teleport:\n  ca_pin: abc\n', 'f.yaml'), /invalid value "abc"/);
  const ssh = withDefaults(parseTeleportConfig('ssh_service: {enabled: yes}\n', 'f.yaml'));
  assert.match(ssh.warnings[0], /ssh_service is not part of tsh-aws/);
});

test("teleport.log and teleport.diag_addr as Teleport's configs write them", () => {
  const teleport = (lines: string) => withDefaults(parseTeleportConfig(`version: v3\nteleport:\n${lines}\n`, 'f.yaml'));
  assert.deepEqual(withDefaults({}).log, { format: 'text', severity: 'info', output: 'stderr' });
  assert.equal(withDefaults({}).diagAddr, undefined);
  const c = teleport('  diag_addr: 127.0.0.1:3000\n  log:\n    output: /var/log/teleport.log\n    severity: DEBUG\n    format:\n      output: json\n      extra_fields: [level, timestamp, component, caller]');
  assert.equal(c.diagAddr, '127.0.0.1:3000');
  assert.deepEqual(c.log, { format: 'json', severity: 'debug', output: '/var/log/teleport.log' });
  assert.equal(teleport('  log:\n    format: json').log.format, 'json', 'the short form');
  assert.equal(teleport('  log:\n    severity: warning').log.severity, 'warn');
  assert.throws(() => teleport('  log:\n    severity: loud'), /f\.yaml:4: "teleport\.log\.severity" must be one of debug, info, warn, error, not "loud"/);
  assert.throws(() => teleport('  log:\n    format: xml'), /f\.yaml:4: "teleport\.log\.format" must be one of text, json, not "xml"/);
  assert.throws(() => teleport('  log:\n    format:\n      outptu: json'), /unknown key "outptu".*/);
  assert.throws(() => teleport('  diag_addr: "127.0.0.1:notaport"'), /diag_addr/);
});
