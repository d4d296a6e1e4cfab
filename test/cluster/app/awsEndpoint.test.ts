import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveAwsTarget } from '../../../src/cluster/app/awsEndpoint.js';
import { isAwsConsoleUri, isAwsHost, shouldIntercept } from '../../../src/shared/aws/endpoints.js';

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

test('AWS console URIs make AWS apps, GovCloud and China included', () => {
  for (const u of ['https://console.aws.amazon.com/home/home', 'https://console.aws.amazon.com/console/home', 'https://us-east-1.console.aws.amazon.com/', 'https://console.amazonaws-us-gov.com/', 'https://console.amazonaws.cn/']) assert.equal(isAwsConsoleUri(u), true, u);
  for (const u of ['http://console.aws.amazon.com/', 'https://console.aws.amazon.com.evil.test/', 'https://grafana.example.com/', 'not a url']) assert.equal(isAwsConsoleUri(u), false, u);
});

test('the target is the Host, unless the SDK endpoint variables override the service', () => {
  assert.deepEqual(resolveAwsTarget('dynamodb.us-east-1.amazonaws.com', 'dynamodb', {}), { protocol: 'https:', hostname: 'dynamodb.us-east-1.amazonaws.com', port: 443, host: 'dynamodb.us-east-1.amazonaws.com', basePath: '', override: false });
  assert.equal(resolveAwsTarget('dynamodb.us-east-1.amazonaws.com:443', 'dynamodb', {}).hostname, 'dynamodb.us-east-1.amazonaws.com');
  const local = resolveAwsTarget('dynamodb.us-east-1.amazonaws.com', 'dynamodb', { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' });
  assert.deepEqual([local.protocol, local.hostname, local.port, local.host, local.override], ['http:', '127.0.0.1', 8000, '127.0.0.1:8000', true]);
  const all = resolveAwsTarget('sts.us-east-1.amazonaws.com', 'sts', { AWS_ENDPOINT_URL: 'https://localstack:4566/' });
  assert.deepEqual([all.hostname, all.port], ['localstack', 4566]);
  assert.equal(resolveAwsTarget('sts.us-east-1.amazonaws.com', 'sts', { AWS_ENDPOINT_URL_DYNAMODB: 'http://x:1' }).override, false, 'another service\'s override does not apply');
  // An override never makes a non-AWS Host acceptable.
  assert.throws(() => resolveAwsTarget('169.254.169.254', 'dynamodb', { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }), (e: any) => e.code === 'ACCESS_DENIED' && /not an AWS endpoint/.test(e.message));
});
