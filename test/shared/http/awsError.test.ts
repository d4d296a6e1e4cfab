import { test } from 'node:test';
import assert from 'node:assert/strict';
import { awsErrorResponse, errorProtocolFor } from '../../../src/shared/http/awsError.js';
import { TshError } from '../../../src/shared/errors.js';

const signedFor = (service: string) => `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

test('the error format follows the signing service, and the content type where it tells more', () => {
  const cases: Array<[Record<string, string>, string, string]> = [
    [{ authorization: signedFor('dynamodb'), 'content-type': 'application/x-amz-json-1.0' }, '', 'json'],
    [{ authorization: signedFor('lambda'), 'content-type': 'application/json' }, '', 'json'],
    [{ authorization: signedFor('sts'), 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, '', 'query'],
    [{ authorization: signedFor('iam') }, '', 'query'],
    [{ authorization: signedFor('sqs'), 'content-type': 'application/x-www-form-urlencoded' }, '', 'query'],
    [{ authorization: signedFor('sqs'), 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' }, '', 'json'],
    [{ authorization: signedFor('ec2'), 'content-type': 'application/x-www-form-urlencoded' }, '', 'ec2'],
    [{ authorization: signedFor('s3'), 'content-type': 'application/json' }, '', 's3'],
    [{}, '/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=00', 's3'],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, '', 'query'],
    [{}, '', 'json'],
  ];
  for (const [headers, url, want] of cases) assert.equal(errorProtocolFor(headers, url), want, JSON.stringify([headers, url]));
});

test('each format carries the code its clients read and the message with its hint, escaped', () => {
  const err = new TshError('ACCESS_DENIED', 'role <Admin> & co is denied', { hint: 'ask "ops"' });
  const json = awsErrorResponse(err, 'json');
  assert.equal(json.status, 403);
  assert.equal(json.headers['x-amzn-errortype'], 'AccessDeniedException');
  assert.deepEqual(JSON.parse(json.body), { __type: 'AccessDeniedException', message: 'role <Admin> & co is denied (ask "ops")', Message: 'role <Admin> & co is denied (ask "ops")' });
  const query = awsErrorResponse(err, 'query');
  assert.match(query.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<ErrorResponse><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code><Message>role &lt;Admin&gt; &amp; co is denied \(ask &quot;ops&quot;\)<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
  assert.match(awsErrorResponse(err, 'ec2').body, /<Response><Errors><Error><Code>AccessDenied<\/Code><Message>role &lt;Admin&gt;.*<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/);
  assert.match(awsErrorResponse(new TshError('TOO_LARGE', 'too big'), 's3').body, /<Error><Code>EntityTooLarge<\/Code><Message>too big<\/Message><RequestId>/);
  const down = awsErrorResponse(new TshError('UNAVAILABLE', 'AWS is down'), 'query');
  assert.equal(down.status, 503);
  assert.match(down.body, /<Type>Receiver<\/Type><Code>ServiceUnavailable<\/Code>/);
  const internal = awsErrorResponse(new Error('secret detail'), 'json');
  assert.equal(internal.status, 500);
  assert.doesNotMatch(internal.body, /secret detail/);
});
