import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { chunkSignedUpload } from '../helpers/awsChunkedUpload.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('sandbox S3', () => {
  let sandbox: Sandbox;
  let s3: S3Client;
  let creds: { accessKeyId: string; secretAccessKey: string; sessionToken: string };

  before(async () => {
    sandbox = await startSandbox({ roles: [{ name: 'S3Role' }, { name: 'ReadOnly', allowedActions: ['s3:GetObject', 's3:ListBucket'] }, { name: 'WriteOnly', allowedActions: ['s3:PutObject'] }] });
    const sts = new STSClient({ region: 'us-east-1', endpoint: sandbox.stsEndpoint, credentials: sandbox.baseCredentials });
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/S3Role', RoleSessionName: 'tests' }))).Credentials!;
    sts.destroy();
    creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    s3 = new S3Client({ region: 'us-east-1', endpoint: sandbox.s3Endpoint, forcePathStyle: true, credentials: creds });
    await s3.send(new CreateBucketCommand({ Bucket: 'test-bucket' }));
  });
  after(async () => {
    s3?.destroy();
    await sandbox?.close();
  });

  test('is in endpointEnv', () => {
    assert.equal(sandbox.endpointEnv().AWS_ENDPOINT_URL_S3, sandbox.s3Endpoint);
  });

  test('put, head, get (whole and ranges), list and delete an object', async () => {
    const data = randomBytes(3 << 20);
    await s3.send(new PutObjectCommand({ Bucket: 'test-bucket', Key: 'dir/a b.bin', Body: data, ContentType: 'application/x-test' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'test-bucket', Key: 'dir/a b.bin' }));
    assert.equal(head.ContentLength, data.length);
    assert.equal(head.ContentType, 'application/x-test');
    const whole = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'dir/a b.bin' }))).Body!.transformToByteArray());
    assert.equal(sha(whole), sha(data));
    const mid = await s3.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'dir/a b.bin', Range: 'bytes=100-199' }));
    assert.equal(mid.ContentRange, `bytes 100-199/${data.length}`);
    assert.deepEqual(Buffer.from(await mid.Body!.transformToByteArray()), data.subarray(100, 200));
    const tail = await s3.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'dir/a b.bin', Range: 'bytes=-10' }));
    assert.deepEqual(Buffer.from(await tail.Body!.transformToByteArray()), data.subarray(data.length - 10));
    await s3.send(new PutObjectCommand({ Bucket: 'test-bucket', Key: 'top.txt', Body: 'x' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'test-bucket', Delimiter: '/' }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['top.txt']);
    assert.deepEqual(listed.CommonPrefixes?.map((p) => p.Prefix), ['dir/']);
    await s3.send(new DeleteObjectCommand({ Bucket: 'test-bucket', Key: 'top.txt' }));
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'test-bucket', Key: 'top.txt' })), (e: any) => e.$metadata?.httpStatusCode === 404);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'nope' })), (e: any) => e.name === 'NoSuchKey');
  });

  test('a streamed upload (aws-chunked with a CRC32 trailer, as the SDK sends a stream) is stored whole', async () => {
    const data = randomBytes(5 << 20);
    await s3.send(new PutObjectCommand({ Bucket: 'test-bucket', Key: 'streamed', Body: Readable.from([data.subarray(0, 1 << 20), data.subarray(1 << 20)]), ContentLength: data.length }));
    const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'streamed' }))).Body!.transformToByteArray());
    assert.equal(sha(got), sha(data));
  });

  test('multipart upload: parts joined in order, S3-style ETag; an aborted upload is gone', async () => {
    const parts = [randomBytes(5 << 20), randomBytes(1 << 20)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'test-bucket', Key: 'mp' }));
    const etags: string[] = [];
    for (let i = 0; i < parts.length; i++) etags.push((await s3.send(new UploadPartCommand({ Bucket: 'test-bucket', Key: 'mp', UploadId, PartNumber: i + 1, Body: parts[i] }))).ETag!);
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'test-bucket', Key: 'mp', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }));
    assert.match(done.ETag ?? '', /-2"$/);
    const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'mp' }))).Body!.transformToByteArray());
    assert.equal(sha(got), sha(Buffer.concat(parts)));
    const other = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'test-bucket', Key: 'gone' }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'test-bucket', Key: 'gone', UploadId: other.UploadId }));
    await assert.rejects(s3.send(new UploadPartCommand({ Bucket: 'test-bucket', Key: 'gone', UploadId: other.UploadId, PartNumber: 1, Body: 'x' })), (e: any) => e.name === 'NoSuchUpload');
  });

  test('a chunk-signed upload is checked chunk by chunk: a forged chunk stores nothing', async () => {
    const data = randomBytes(200_000);
    const host = new URL(sandbox.s3Endpoint).host;
    const send = (headers: Record<string, string>, body: Buffer) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const u = new URL(sandbox.s3Endpoint);
        const req = http.request({ host: u.hostname, port: u.port, method: 'PUT', path: '/test-bucket/chunked', headers }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const up = await chunkSignedUpload({ creds, host, path: '/test-bucket/chunked', data, chunkBytes: 65536 });
    const forged = Buffer.from(up.body);
    forged[forged.length - 1000] ^= 1;
    const bad = await send(up.headers, forged);
    assert.equal(bad.status, 403, bad.text);
    assert.match(bad.text, /SignatureDoesNotMatch/);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'test-bucket', Key: 'chunked' })), (e: any) => e.$metadata?.httpStatusCode === 404);
    const good = await send(up.headers, up.body);
    assert.equal(good.status, 200, good.text);
    const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'chunked' }))).Body!.transformToByteArray());
    assert.equal(sha(got), sha(data));
  });

  test('copy an object (the aws CLI\'s s3 cp between keys): bytes and type kept, or replaced with REPLACE; a missing source, a malformed one and a role that cannot read the source are refused', async () => {
    const data = randomBytes(300_000);
    await s3.send(new PutObjectCommand({ Bucket: 'test-bucket', Key: 'orig/a+b.bin', Body: data, ContentType: 'application/x-orig' }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: 'test-bucket', Key: 'copy.bin', CopySource: `test-bucket/${encodeURIComponent('orig/a+b.bin')}` }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'test-bucket', Key: 'copy.bin' }));
    assert.equal(copied.CopyObjectResult?.ETag, head.ETag);
    assert.equal(head.ContentType, 'application/x-orig');
    assert.equal(sha(Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'copy.bin' }))).Body!.transformToByteArray())), sha(data));
    await s3.send(new CopyObjectCommand({ Bucket: 'test-bucket', Key: 'copy2.bin', CopySource: '/test-bucket/copy.bin', MetadataDirective: 'REPLACE', ContentType: 'text/plain' }));
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'test-bucket', Key: 'copy2.bin' }))).ContentType, 'text/plain');

    await assert.rejects(s3.send(new CopyObjectCommand({ Bucket: 'test-bucket', Key: 'c', CopySource: 'test-bucket/none' })), (e: any) => e.name === 'NoSuchKey');
    await assert.rejects(s3.send(new CopyObjectCommand({ Bucket: 'test-bucket', Key: 'c', CopySource: 'test-bucket' })), (e: any) => e.name === 'InvalidArgument' && /sourcebucket\/sourcekey/.test(e.message));
    const sts = new STSClient({ region: 'us-east-1', endpoint: sandbox.stsEndpoint, credentials: sandbox.baseCredentials });
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/WriteOnly', RoleSessionName: 'writer' }))).Credentials!;
    sts.destroy();
    const wo = new S3Client({ region: 'us-east-1', endpoint: sandbox.s3Endpoint, forcePathStyle: true, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
    await assert.rejects(wo.send(new CopyObjectCommand({ Bucket: 'test-bucket', Key: 'stolen', CopySource: 'test-bucket/copy.bin' })), (e: any) => e.name === 'AccessDenied' && /s3:GetObject/.test(e.message));
    wo.destroy();
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'test-bucket', Key: 'c' })), (e: any) => e.$metadata?.httpStatusCode === 404, 'nothing was written by the refused copies');
  });

  test('an S3 operation the sandbox does not have is refused as NotImplemented, naming it, and changes nothing', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'test-bucket', Key: 'tagged', Body: 'kept' }));
    await assert.rejects(
      s3.send(new PutObjectTaggingCommand({ Bucket: 'test-bucket', Key: 'tagged', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } })),
      (e: any) => e.name === 'NotImplemented' && e.$metadata?.httpStatusCode === 501 && /PUT \/test-bucket\/tagged is not implemented by the sandbox/.test(e.message),
    );
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'tagged' }))).Body!.transformToString(), 'kept');
  });

  test('refusals: a wrong secret, the operator key, an action the role lacks', async () => {
    const wrong = new S3Client({ region: 'us-east-1', endpoint: sandbox.s3Endpoint, forcePathStyle: true, credentials: { ...creds, secretAccessKey: 'wrong' } });
    await assert.rejects(wrong.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'mp' })), (e: any) => e.name === 'SignatureDoesNotMatch');
    wrong.destroy();
    const operator = new S3Client({ region: 'us-east-1', endpoint: sandbox.s3Endpoint, forcePathStyle: true, credentials: sandbox.baseCredentials });
    await assert.rejects(operator.send(new GetObjectCommand({ Bucket: 'test-bucket', Key: 'mp' })), (e: any) => e.name === 'AccessDenied');
    operator.destroy();
    const sts = new STSClient({ region: 'us-east-1', endpoint: sandbox.stsEndpoint, credentials: sandbox.baseCredentials });
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/ReadOnly', RoleSessionName: 'reader' }))).Credentials!;
    sts.destroy();
    const ro = new S3Client({ region: 'us-east-1', endpoint: sandbox.s3Endpoint, forcePathStyle: true, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
    await assert.rejects(ro.send(new PutObjectCommand({ Bucket: 'test-bucket', Key: 'x', Body: 'x' })), (e: any) => e.name === 'AccessDenied' && /s3:PutObject/.test(e.message));
    ro.destroy();
  });
});
