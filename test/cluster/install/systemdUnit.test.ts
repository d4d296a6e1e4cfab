/** The unit text for hosts whose paths are not the usual ones (`systemd-analyze verify` runs in test/e2e/operatorKit). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemdUnit } from '../../../src/cluster/install/systemdUnit.js';

const base = { teleport: ['/usr/bin/node', '/usr/lib/node_modules/tsh-aws/bin/teleport'], configPath: '/etc/teleport.yaml', dataDir: '/var/lib/teleport', envFile: '/etc/default/teleport' };
const line = (unit: string, key: string) => unit.split('\n').find((l) => l.startsWith(`${key}=`));

test('the defaults: state directory made by systemd, home directories hidden', () => {
  const unit = systemdUnit(base);
  assert.equal(line(unit, 'ExecStart'), 'ExecStart=/usr/bin/node /usr/lib/node_modules/tsh-aws/bin/teleport start --config /etc/teleport.yaml');
  assert.equal(line(unit, 'StateDirectory'), 'StateDirectory=teleport');
  assert.equal(line(unit, 'ReadWritePaths'), 'ReadWritePaths=/var/lib/teleport');
  assert.equal(line(unit, 'ProtectHome'), 'ProtectHome=yes');
  assert.equal(line(unit, 'Restart'), 'Restart=on-failure');
  assert.equal(line(unit, 'EnvironmentFile'), 'EnvironmentFile=-/etc/default/teleport');
});

test('node under a home directory (nvm): homes readable, not hidden; a log file\'s directory is writable', () => {
  const unit = systemdUnit({ ...base, teleport: ['/root/.nvm/versions/node/v20/bin/node', '/root/.nvm/versions/node/v20/bin/teleport'], dataDir: '/srv/teleport', logFile: '/var/log/teleport/t.log' });
  assert.equal(line(unit, 'ProtectHome'), 'ProtectHome=read-only');
  assert.equal(line(unit, 'StateDirectory'), undefined, 'only /var/lib/... is a state directory');
  assert.equal(line(unit, 'ReadWritePaths'), 'ReadWritePaths=/srv/teleport /var/log/teleport');
});

test('spaces, % and $ in paths are written the way systemd reads them', () => {
  const unit = systemdUnit({ ...base, configPath: '/etc/tele port/100%$x.yaml', dataDir: '/var/lib/t%x' });
  assert.equal(line(unit, 'ExecStart'), 'ExecStart=/usr/bin/node /usr/lib/node_modules/tsh-aws/bin/teleport start --config "/etc/tele port/100%%$$x.yaml"');
  assert.equal(line(unit, 'StateDirectory'), 'StateDirectory=t%%x');
});

test('relative paths are refused (systemd needs absolute ones)', () => {
  assert.throws(() => systemdUnit({ ...base, dataDir: 'data' }), /the data dir path "data" is not absolute/);
});
