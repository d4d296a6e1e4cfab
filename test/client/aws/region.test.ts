/**
 * The region a local proxy hands its clients when the user's own settings
 * name none (the aws CLI and boto3 refuse to run without one).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseRegion } from '../../../src/client/aws/region.js';

const app = { name: 'aws', uri: 'https://console.aws.amazon.com/home/home' };
let home: string;
before(() => {
  home = mkdtempSync(join(tmpdir(), 'region-test-'));
});
after(() => rmSync(home, { recursive: true, force: true }));

function withConfig(text: string): NodeJS.ProcessEnv {
  const file = join(home, `config-${Math.random()}`);
  writeFileSync(file, text);
  return { AWS_CONFIG_FILE: file };
}

describe('chooseRegion', () => {
  test('the user\'s AWS_REGION or AWS_DEFAULT_REGION: nothing added, nothing said', () => {
    assert.deepEqual(chooseRegion({ AWS_REGION: 'eu-west-1' }, app), {});
    assert.deepEqual(chooseRegion({ AWS_DEFAULT_REGION: 'eu-west-1' }, app), {});
  });

  test('region in the default profile of ~/.aws/config: the client reads it itself', () => {
    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(join(home, '.aws', 'config'), '# mine\n[default]\nregion = ap-south-1 ; comment\n');
    assert.deepEqual(chooseRegion({ HOME: home }, app), {});
  });

  test('region of a named profile: set as AWS_REGION, since tsh removes AWS_PROFILE from the child', () => {
    const env = { ...withConfig('[default]\noutput=json\n[profile dev]\nregion=eu-central-1\n'), AWS_PROFILE: 'dev' };
    assert.deepEqual(chooseRegion(env, app), { region: 'eu-central-1' });
  });

  test('no region anywhere: us-east-1, and it says so', () => {
    const r = chooseRegion({ HOME: join(home, 'nobody') }, app);
    assert.equal(r.region, 'us-east-1');
    assert.match(r.note!, /no AWS region is set .*using us-east-1$/);
    const other = chooseRegion({ ...withConfig('[profile other]\nregion=eu-west-3\n') }, app);
    assert.equal(other.region, 'us-east-1', 'another profile\'s region is not the default profile\'s');
  });

  test("no region anywhere: the app's region when its console URI names one (regional host, region=, GovCloud, China)", () => {
    const env = { HOME: join(home, 'nobody') };
    assert.equal(chooseRegion(env, { name: 'w', uri: 'https://us-west-2.console.aws.amazon.com/console/home' }).region, 'us-west-2');
    assert.equal(chooseRegion(env, { name: 'q', uri: 'https://console.aws.amazon.com/dynamodbv2/home?region=eu-north-1' }).region, 'eu-north-1');
    assert.equal(chooseRegion(env, { name: 'g', uri: 'https://console.amazonaws-us-gov.com/' }).region, 'us-gov-west-1');
    assert.equal(chooseRegion(env, { name: 'c', uri: 'https://console.amazonaws.cn/' }).region, 'cn-north-1');
    assert.match(chooseRegion(env, { name: 'w', uri: 'https://us-west-2.console.aws.amazon.com/' }).note!, /using us-west-2, the region of app "w"/);
  });
});
