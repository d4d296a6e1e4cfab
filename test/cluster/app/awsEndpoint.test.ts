import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { s3PathStyle, checkedLookup, isForbiddenAddress, resolveAwsTarget, type ResolveAll } from '../../../src/cluster/app/awsEndpoint.js';
import { isAwsConsoleUri, isAwsHost, shouldIntercept, stripPort } from '../../../src/shared/aws/endpoints.js';

test('AWS endpoint hosts are recognised, and nothing else is', () => {
  for (const h of ['dynamodb.us-east-1.amazonaws.com', 'sts.amazonaws.com', '123456789012.ddb.us-east-1.amazonaws.com', 'dynamodb.cn-north-1.amazonaws.com.cn', 'dynamodb.us-east-1.api.aws', 's3.dualstack.eu-west-1.amazonaws.com', 'my-bucket.s3.us-west-2.amazonaws.com']) {
    assert.equal(isAwsHost(h), true, h);
  }
  for (const h of ['amazonaws.com', '169.254.169.254', 'localhost', '127.0.0.1', '10.0.0.1', 'example.com', 'dynamodb.us-east-1.amazonaws.com.evil.test', 'evil.test#.amazonaws.com', 'a..amazonaws.com', 'x.amazonaws.com:443', 'user@x.amazonaws.com', 'x.amazonaws.com.', '[::1]', 'x.amazonaws.co']) {
    assert.equal(isAwsHost(h), false, h);
  }
  assert.equal(shouldIntercept('ssmmessages.us-east-1.amazonaws.com'), false, 'SSM sessions are tunnelled');
  assert.equal(shouldIntercept('DynamoDB.us-east-1.amazonaws.com'), true);
});

test('a Host loses only a numeric port, so a port that hides another host leaves no AWS name behind', () => {
  assert.equal(stripPort('dynamodb.us-east-1.amazonaws.com:443'), 'dynamodb.us-east-1.amazonaws.com');
  assert.equal(stripPort('[::1]:8080'), '::1');
  for (const h of ['dynamodb.us-east-1.amazonaws.com:443@169.254.169.254', 'dynamodb.us-east-1.amazonaws.com:', 'dynamodb.us-east-1.amazonaws.com:http']) {
    assert.equal(stripPort(h), h);
    assert.throws(() => resolveAwsTarget(h, 'dynamodb', {}), /is not an AWS endpoint/);
  }
});

test('AWS console URIs make AWS apps, GovCloud and China included', () => {
  for (const u of ['https://console.aws.amazon.com/home/home', 'https://console.aws.amazon.com/console/home', 'https://us-east-1.console.aws.amazon.com/', 'https://console.amazonaws-us-gov.com/', 'https://console.amazonaws.cn/']) assert.equal(isAwsConsoleUri(u), true, u);
  for (const u of ['http://console.aws.amazon.com/', 'https://console.aws.amazon.com.evil.test/', 'https://grafana.example.com/', 'not a url']) assert.equal(isAwsConsoleUri(u), false, u);
});

test('the target is the Host, unless the SDK endpoint variables override the service', () => {
  assert.deepEqual(resolveAwsTarget('dynamodb.us-east-1.amazonaws.com', 'dynamodb', {}), { protocol: 'https:', hostname: 'dynamodb.us-east-1.amazonaws.com', port: 443, host: 'dynamodb.us-east-1.amazonaws.com', basePath: '', awsHost: 'dynamodb.us-east-1.amazonaws.com' });
  assert.equal(resolveAwsTarget('dynamodb.us-east-1.amazonaws.com:443', 'dynamodb', {}).hostname, 'dynamodb.us-east-1.amazonaws.com');
  const local = resolveAwsTarget('dynamodb.us-east-1.amazonaws.com', 'dynamodb', { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' });
  assert.deepEqual([local.protocol, local.hostname, local.port, local.host, local.override, local.awsHost], ['http:', '127.0.0.1', 8000, '127.0.0.1:8000', 'AWS_ENDPOINT_URL_DYNAMODB', 'dynamodb.us-east-1.amazonaws.com']);
  const all = resolveAwsTarget('sts.us-east-1.amazonaws.com', 'sts', { AWS_ENDPOINT_URL: 'https://localstack:4566/' });
  assert.deepEqual([all.hostname, all.port, all.override], ['localstack', 4566, 'AWS_ENDPOINT_URL']);
  assert.equal(resolveAwsTarget('sts.us-east-1.amazonaws.com', 'sts', { AWS_ENDPOINT_URL_DYNAMODB: 'http://x:1' }).override, undefined, 'another service\'s override does not apply');
  // An override never makes a non-AWS Host acceptable.
  assert.throws(() => resolveAwsTarget('169.254.169.254', 'dynamodb', { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }), (e: any) => e.code === 'ACCESS_DENIED' && /not an AWS endpoint/.test(e.message));
});

test('addresses that signed requests never reach: loopback, private, CGNAT, link-local, metadata, unspecified, multicast', () => {
  const refused = ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '100.127.255.254', '169.254.169.254', '169.254.170.2', '0.0.0.0', '224.0.0.1'];
  for (const a of refused) assert.equal(isForbiddenAddress(a, 4), true, a);
  for (const a of ['::1', '::', 'fd00:ec2::254', 'fc00::1', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::ffff:10.0.0.1']) assert.equal(isForbiddenAddress(a, 6), true, a);
  // Public addresses, including the neighbours of the refused ranges.
  for (const a of ['52.94.0.1', '3.5.140.2', '172.32.0.1', '100.128.0.1', '11.0.0.1', '169.255.0.1', '192.169.0.1']) assert.equal(isForbiddenAddress(a, 4), false, a);
  for (const a of ['2600:1f18::1', '2a05:d018::1', '::ffff:52.94.0.1']) assert.equal(isForbiddenAddress(a, 6), false, a);
});

/** Runs checkedLookup as a socket would, with `answers` standing in for DNS. */
function lookUp(answers: Record<string, Array<{ address: string; family: number }>>, host: string, all = true): Promise<{ err?: any; found?: LookupAddress[] | string }> {
  const calls: string[] = [];
  const resolve: ResolveAll = async (name) => {
    calls.push(name);
    const a = answers[name];
    if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return a;
  };
  return new Promise((done) => {
    checkedLookup(resolve)(host, { all }, (err, found) => {
      assert.deepEqual(calls, [host], 'one lookup per connection');
      done(err ? { err } : { found: found as LookupAddress[] | string });
    });
  });
}

test('an AWS name is connected to only at the public addresses it resolved to, checked once', async () => {
  const dns = {
    'dynamodb.us-east-1.amazonaws.com': [{ address: '52.94.0.1', family: 4 }, { address: '2600:1f18::1', family: 6 }],
    'rebind.amazonaws.com': [{ address: '127.0.0.1', family: 4 }],
    'imds.amazonaws.com': [{ address: '169.254.169.254', family: 4 }],
    'imds6.amazonaws.com': [{ address: 'fd00:ec2::254', family: 6 }],
    'mixed.amazonaws.com': [{ address: '52.94.0.1', family: 4 }, { address: '10.0.0.5', family: 4 }],
  };
  assert.deepEqual((await lookUp(dns, 'dynamodb.us-east-1.amazonaws.com')).found, dns['dynamodb.us-east-1.amazonaws.com'], 'the checked addresses are the ones connected to');
  assert.equal((await lookUp(dns, 'dynamodb.us-east-1.amazonaws.com', false)).found, '52.94.0.1');
  for (const [host, address] of [['rebind.amazonaws.com', '127.0.0.1'], ['imds.amazonaws.com', '169.254.169.254'], ['imds6.amazonaws.com', 'fd00:ec2::254'], ['mixed.amazonaws.com', '10.0.0.5']]) {
    const { err } = await lookUp(dns, host);
    assert.equal(err?.code, 'ACCESS_DENIED', host);
    assert.match(err.message, new RegExp(`"${host}" resolves to ${address}, a loopback, private, link-local or metadata address`));
  }
  const { err } = await lookUp(dns, 'nowhere.amazonaws.com');
  assert.equal(err.code, 'ENOTFOUND', 'a name that does not resolve is a network error, not a refusal');
});

test("an S3 bucket in the Host moves into the path for an endpoint override; S3's own names have none", () => {
  assert.equal(s3PathStyle('my-bucket.s3.amazonaws.com'), '/my-bucket');
  assert.equal(s3PathStyle('my.dotted.bucket.s3.us-west-2.amazonaws.com'), '/my.dotted.bucket');
  assert.equal(s3PathStyle('old-style.s3-eu-west-1.amazonaws.com'), '/old-style');
  assert.equal(s3PathStyle('cn-bucket.s3.cn-north-1.amazonaws.com.cn'), '/cn-bucket');
  for (const host of ['s3.amazonaws.com', 's3.us-east-1.amazonaws.com', 'dynamodb.us-east-1.amazonaws.com']) assert.equal(s3PathStyle(host), '', host);
});
