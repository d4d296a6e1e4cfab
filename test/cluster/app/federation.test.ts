/**
 * The app service's side of console sign-in: which federation endpoint an
 * app's console URI leads to (the partition: commercial, GovCloud, China;
 * or the SDK endpoint variables), the URLs it builds, and a sign-in token
 * from the sandbox through the same calls.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { federationUrl, getSigninToken, signinUrl } from '../../../src/cluster/app/federation.js';
import { signinHostFor } from '../../../src/shared/aws/endpoints.js';
import { AssumeRoleCache } from '../../../src/cluster/app/assumeRole.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';

test('the federation host follows the console URI\'s partition', () => {
  const cases: Array<[string, string]> = [
    ['https://console.aws.amazon.com/home/home', 'https://signin.aws.amazon.com/federation'],
    ['https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1', 'https://signin.aws.amazon.com/federation'],
    ['https://console.amazonaws-us-gov.com/console/home', 'https://signin.amazonaws-us-gov.com/federation'],
    ['https://us-gov-west-1.console.amazonaws-us-gov.com/', 'https://signin.amazonaws-us-gov.com/federation'],
    ['https://console.amazonaws.cn/console/home', 'https://signin.amazonaws.cn/federation'],
    ['https://cn-north-1.console.amazonaws.cn/', 'https://signin.amazonaws.cn/federation'],
  ];
  for (const [uri, want] of cases) assert.equal(federationUrl(uri, {}), want, uri);
  for (const uri of ['https://grafana.example.com/', 'http://console.aws.amazon.com/', 'https://console.aws.amazon.com.evil.test/']) {
    assert.equal(signinHostFor(uri), undefined, uri);
    assert.throws(() => federationUrl(uri, {}), (e: any) => e.code === 'BAD_INPUT' && /is not an AWS console URL/.test(e.message), uri);
  }
});

test('AWS_ENDPOINT_URL_SIGNIN, then AWS_ENDPOINT_URL, points it elsewhere, as for every AWS endpoint', () => {
  const uri = 'https://console.amazonaws.cn/';
  assert.equal(federationUrl(uri, { AWS_ENDPOINT_URL_SIGNIN: 'http://127.0.0.1:4566' }), 'http://127.0.0.1:4566/federation');
  assert.equal(federationUrl(uri, { AWS_ENDPOINT_URL: 'https://localstack:4566/base/' }), 'https://localstack:4566/base/federation');
  assert.equal(federationUrl(uri, { AWS_ENDPOINT_URL: 'http://all:1', AWS_ENDPOINT_URL_SIGNIN: 'http://signin:2' }), 'http://signin:2/federation', 'the service\'s own variable wins');
  assert.equal(federationUrl(uri, { AWS_ENDPOINT_URL_STS: 'http://sts:3' }), 'https://signin.amazonaws.cn/federation', 'another service\'s variable does not apply');
  assert.throws(() => federationUrl(uri, { AWS_ENDPOINT_URL_SIGNIN: 'not a url' }), (e: any) => e.code === 'CONFIG');
});

test('the sign-in URL carries Action=login, the Issuer, the Destination and the token, form-encoded', () => {
  const url = new URL(signinUrl('https://signin.amazonaws-us-gov.com/federation', { issuer: 'https://proxy.example.com:3080', destination: 'https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1#Instances:', token: 'tok+/=' }));
  assert.equal(url.origin + url.pathname, 'https://signin.amazonaws-us-gov.com/federation');
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    Action: 'login',
    Issuer: 'https://proxy.example.com:3080',
    Destination: 'https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1#Instances:',
    SigninToken: 'tok+/=',
  });
});

let sandbox: Sandbox;
const saved = { ...process.env };
before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }] });
  Object.assign(process.env, sandbox.endpointEnv(), { AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey, AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
});
after(async () => {
  process.env = saved;
  await sandbox?.close();
});

test('a fresh role session, traded at the (sandbox) federation endpoint, gives a token; a refusal names the endpoint, never the keys', async () => {
  const cache = new AssumeRoleCache();
  assert.equal(await cache.baseIsTemporary(), false, 'an IAM user\'s key is long-lived');
  const creds = await cache.fresh('arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole', 'alice', undefined, 1800);
  assert.equal(creds.assumedRoleArn, 'arn:aws:sts::123456789012:assumed-role/ExampleTeleportDynamoDBRole/alice');
  assert.ok(Math.abs(creds.expiration.getTime() - Date.now() - 1800_000) < 5000, 'DurationSeconds was passed');
  const fed = federationUrl('https://console.aws.amazon.com/', process.env);
  assert.equal(fed, `${sandbox.signinEndpoint}/federation`);
  assert.match(await getSigninToken(fed, creds, 3600), /^[A-Za-z0-9_-]+$/);
  await assert.rejects(getSigninToken(fed, { ...creds, secretAccessKey: 'wrong' }), (e: any) => {
    assert.equal(e.code, 'ACCESS_DENIED');
    assert.match(e.message, /^the AWS federation endpoint refused a console sign-in token \(HTTP 400: .*not valid temporary credentials/);
    assert.ok(!e.message.includes(creds.sessionToken!) && !e.message.includes(creds.accessKeyId));
    return true;
  });
  await assert.rejects(getSigninToken('http://127.0.0.1:1/federation', creds), (e: any) => e.code === 'UNAVAILABLE' && /cannot reach the AWS federation endpoint 127\.0\.0\.1:1/.test(e.message) && !e.message.includes(creds.secretAccessKey));
});

test('credentials from a role session (with their token, from the environment) make assuming another role chaining', async () => {
  const hop = await new AssumeRoleCache().fresh('arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole', 'broker');
  const env = { ...process.env };
  try {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: hop.accessKeyId, AWS_SECRET_ACCESS_KEY: hop.secretAccessKey, AWS_SESSION_TOKEN: hop.sessionToken });
    assert.equal(await new AssumeRoleCache().baseIsTemporary(), true);
  } finally {
    process.env = env;
  }
});
