/**
 * Large bodies through the whole chain, streamed: the Debian aws CLI copies
 * an object up (multipart: it goes above 8 MiB) and down (ranged GETs) with
 * `tsh aws s3 cp` against the sandbox's S3, and the JS SDK streams an upload
 * (aws-chunked with a CRC32 trailer) and a download through `tsh proxy aws`;
 * each object's SHA-256 is checked. Bodies past the 16 MiB that a signed
 * hash forces the local proxy to hold travel because they are not held; a
 * forged chunk of a chunk-signed upload never leaves the machine.
 *
 * The size is 24 MiB here (CI); TSH_S3_COPY_MIB=100 (`npm run check:s3-copy`) copies 100 MiB.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpsProxyAgent } from 'hpagent';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startCluster, addUser, userEnv, tshLogin, type TestCluster } from '../helpers/cluster.js';
import { startAppService, type TestAppService } from '../helpers/appService.js';
import { startTshProxy, type TshProxy } from '../helpers/tshProxy.js';
import { runBin, type RunResult } from '../helpers/binaries.js';
import { sendSigned } from '../helpers/awsSigning.js';
import { chunkSignedUpload } from '../helpers/awsChunkedUpload.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ROLE = 'arn:aws:iam::123456789012:role/ExampleTeleportDynamoDBRole';
const password = 'correct horse battery staple';
const MIB = Number(process.env.TSH_S3_COPY_MIB ?? 24);
let sandbox: Sandbox;
let cluster: TestCluster;
let agent: TestAppService;
let alice: Awaited<ReturnType<typeof userEnv>>;
let env: Record<string, string>;
let proxy: TshProxy;
let s3: S3Client;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
async function fileSha(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

before(async () => {
  sandbox = await startSandbox({ roles: [{ name: 'ExampleTeleportDynamoDBRole' }] });
  cluster = await startCluster();
  agent = await startAppService(cluster, {
    args: ['--insecure'],
    env: { ...sandbox.endpointEnv(), AWS_ACCESS_KEY_ID: sandbox.baseCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.baseCredentials.secretAccessKey, AWS_REGION: 'us-east-1' },
  });
  await agent.ready();
  await addUser(cluster, 'alice', ['access'], password, { awsRoleArns: [ROLE] });
  alice = await userEnv();
  const awsConfig = join(alice.home, 'aws-config');
  await writeFile(awsConfig, '[default]\nregion = us-east-1\n');
  env = { ...alice.env, PATH: `/usr/bin:/bin:${alice.env.PATH}`, AWS_CONFIG_FILE: awsConfig, AWS_SHARED_CREDENTIALS_FILE: join(alice.home, 'none'), AWS_PAGER: '', AWS_MAX_ATTEMPTS: '2' };
  assert.equal((await tshLogin(env, cluster.proxyAddr, 'alice', password)).code, 0);
  const login = await runBin('tsh', ['apps', 'login', '--aws-role', 'ExampleTeleportDynamoDBRole', 'aws'], { env });
  assert.equal(login.code, 0, login.stderr);
  proxy = await startTshProxy(env, []);
  // Virtual-hosted style (the bucket in the Host), as the SDK sends it by default.
  s3 = new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: proxy.vars.AWS_ACCESS_KEY_ID, secretAccessKey: proxy.vars.AWS_SECRET_ACCESS_KEY },
    requestHandler: new NodeHttpHandler({ httpsAgent: new HttpsProxyAgent({ proxy: proxy.vars.HTTPS_PROXY, ca: [await readFile(proxy.vars.AWS_CA_BUNDLE)], keepAlive: true }), requestTimeout: 60_000 }),
    maxAttempts: 1,
  });
});

after(async () => {
  s3?.destroy();
  await proxy?.stop();
  await agent?.close();
  await cluster?.close();
  await sandbox?.close();
  await alice?.cleanup();
});

const tshAws = (args: string[]): Promise<RunResult> => runBin('tsh', ['aws', ...args], { env, timeoutMs: 180_000 });

describe('large bodies through the chain', () => {
  test(`the aws CLI copies ${MIB} MiB up and down with \`tsh aws s3 cp\`; the hashes match`, async () => {
    const mb = await tshAws(['s3', 'mb', 's3://cli-bucket']);
    assert.equal(mb.code, 0, mb.stderr);
    const src = join(alice.home, 'upload.bin');
    const data = randomBytes(MIB << 20);
    await writeFile(src, data);
    const up = await tshAws(['s3', 'cp', src, 's3://cli-bucket/dir/object.bin', '--no-progress']);
    assert.equal(up.code, 0, up.stderr);
    assert.ok(sandbox.requests.some((r) => r.service === 's3' && r.action === 'UploadPart' && r.status === 200), 'the CLI went multipart');
    const ls = await tshAws(['s3', 'ls', 's3://cli-bucket/dir/']);
    assert.match(ls.stdout, new RegExp(`${data.length}\\s+object\\.bin`));
    const dst = join(alice.home, 'download.bin');
    const down = await tshAws(['s3', 'cp', 's3://cli-bucket/dir/object.bin', dst, '--no-progress']);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(await fileSha(dst), sha256(data));
  });

  test('the JS SDK streams a 20 MiB upload (aws-chunked, CRC32 trailer) and its download', async () => {
    assert.equal((await tshAws(['s3', 'mb', 's3://sdk-bucket'])).code, 0);
    const data = randomBytes(20 << 20);
    const pieces = Array.from({ length: 20 }, (_, i) => data.subarray(i << 20, (i + 1) << 20));
    await s3.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: 'streamed.bin', Body: Readable.from(pieces), ContentLength: data.length }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'streamed.bin' }));
    const h = createHash('sha256');
    let bytes = 0;
    for await (const chunk of got.Body as Readable) {
      h.update(chunk);
      bytes += chunk.length;
    }
    assert.equal(bytes, data.length);
    assert.equal(h.digest('hex'), sha256(data));
  });

  test('a chunk-signed upload is checked at the local proxy: a forged chunk is refused and nothing is stored', async () => {
    const data = randomBytes(300_000);
    const host = 'sdk-bucket.s3.amazonaws.com';
    const creds = { accessKeyId: proxy.vars.AWS_ACCESS_KEY_ID, secretAccessKey: proxy.vars.AWS_SECRET_ACCESS_KEY };
    const ca = await readFile(proxy.vars.AWS_CA_BUNDLE);
    const put = (headers: Record<string, string>, body: Buffer) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const agent = new HttpsProxyAgent({ proxy: proxy.vars.HTTPS_PROXY, ca: [ca] });
        const req = https.request({ host, port: 443, method: 'PUT', path: '/chunked.bin', headers, agent, servername: host }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => {
            agent.destroy();
            resolve({ status: res.statusCode!, text });
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    const up = await chunkSignedUpload({ creds, host, path: '/chunked.bin', data, chunkBytes: 65536 });
    const forged = Buffer.from(up.body);
    forged[forged.length - 5000] ^= 1;
    const bad = await put(up.headers, forged);
    assert.equal(bad.status, 403, bad.text);
    assert.match(bad.text, /<Code>SignatureDoesNotMatch<\/Code>.*chunk signature does not match/s);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'chunked.bin' })), (e: any) => e.$metadata?.httpStatusCode === 404);
    const good = await put(up.headers, up.body);
    assert.equal(good.status, 200, good.text);
    const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'chunked.bin' }))).Body!.transformToByteArray());
    assert.equal(sha256(got), sha256(data));
  });

  test('a body whose hash is signed is held to be checked, so past 16 MiB it is refused, S3-shaped, with what to do instead', async () => {
    const body = Buffer.alloc((16 << 20) + 1, 0x62);
    const r = await sendSigned({
      via: { mode: 'proxy', url: proxy.vars.HTTPS_PROXY },
      ca: await readFile(proxy.vars.AWS_CA_BUNDLE, 'utf8'),
      creds: { accessKeyId: proxy.vars.AWS_ACCESS_KEY_ID, secretAccessKey: proxy.vars.AWS_SECRET_ACCESS_KEY },
      host: 'sdk-bucket.s3.amazonaws.com',
      service: 's3',
      method: 'PUT',
      path: '/too-big.bin',
      body,
      headers: { 'content-type': 'application/octet-stream' },
      contentSha: sha256(body),
      // Still writing when the refusal comes (as a client on a busy machine is): the connection stays up for the rest.
      restAfterAnswer: true,
    });
    assert.equal(r.status, 413);
    assert.match(r.body, /<Code>EntityTooLarge<\/Code>/);
    assert.match(r.body, /16 MiB limit.*UNSIGNED-PAYLOAD/s);
  });
});
