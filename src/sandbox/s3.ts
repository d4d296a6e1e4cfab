/**
 * A small S3 for the sandbox: enough of the bucket API for `aws s3 cp` (which
 * goes multipart above 8 MiB and downloads large objects in ranges) and the
 * SDKs, with SigV4 checked as S3 checks it, path-style (`/<bucket>/<key>`):
 *
 *   PUT    /b                                CreateBucket          GET  /            ListBuckets
 *   HEAD   /b                                HeadBucket            GET  /b?list-type=2  ListObjectsV2
 *   PUT    /b/k                              PutObject             GET  /b/k         GetObject (Range)
 *   HEAD   /b/k                              HeadObject            DELETE /b/k       DeleteObject
 *   POST   /b/k?uploads                      CreateMultipartUpload
 *   PUT    /b/k?partNumber=N&uploadId=U      UploadPart
 *   POST   /b/k?uploadId=U                   CompleteMultipartUpload
 *   DELETE /b/k?uploadId=U                   AbortMultipartUpload
 *
 * Bodies stream to disk (S3Store) and are checked as S3 does: against a
 * signed SHA-256 (the object is kept only if it matches), every chunk of an
 * aws-chunked body against its signature, a trailer's CRC32 or SHA
 * checksum, and Content-MD5. Only temporary credentials are accepted (as the
 * DynamoDB gateway does), and the role's allowed actions apply (`s3:PutObject`).
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { Readable, Transform } from 'node:stream';
import { crc32 } from 'node:zlib';
import { TshError } from '../shared/errors.js';
import { readBody } from '../shared/http/readBody.js';
import { AwsChunkedReader, isChunked, payloadMode, type PayloadMode } from '../shared/sigv4/awsChunked.js';
import { parseAuthorization } from '../shared/sigv4/parseAuthorization.js';
import { signingKey } from '../shared/sigv4/simpleSignature.js';
import { authenticate, signingKeyId, type AuthFailure } from './authenticate.js';
import type { Caller, SandboxIam } from './iam.js';
import { closeServer, listenLocal } from './listen.js';
import type { LogRequest } from './requestLog.js';
import { S3Error, S3Store, type ObjectInfo } from './s3Store.js';

/** S3's largest chunk of an aws-chunked upload that a verifier holds, and its single-request object limit here. */
const MAX_CHUNK = 16 << 20;

/** How S3 names each authentication failure. */
const authErrors: Record<AuthFailure, [number, string]> = {
  missing: [403, 'AccessDenied'],
  incomplete: [400, 'AuthorizationHeaderMalformed'],
  unknownKey: [403, 'InvalidAccessKeyId'],
  expired: [400, 'ExpiredToken'],
  badSignature: [403, 'SignatureDoesNotMatch'],
};

interface Ctx {
  iam: SandboxIam;
  clock: () => Date;
  log: LogRequest;
  store: S3Store;
}

/** Starts the S3 gateway on 127.0.0.1; objects live in a temp dir removed by close(). */
export async function startS3(opts: { iam: SandboxIam; clock: () => Date; log: LogRequest; port?: number }): Promise<{ endpoint: string; close(): Promise<void> }> {
  const store = await S3Store.open();
  const ctx: Ctx = { ...opts, store };
  const server = http.createServer((req, res) => void handle(req, res, ctx));
  const close = async () => {
    await closeServer(server);
    await store.close();
  };
  try {
    return { endpoint: await listenLocal(server, opts.port), close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The operation a request names, by method, path shape and query. */
/** Query subresources of S3 operations the sandbox does not have (tagging, ACLs, bucket configuration...): without this list they would pass for the plain object or bucket call and, say, overwrite an object with its tags. */
const UNSUPPORTED_SUBRESOURCES = ['acl', 'tagging', 'retention', 'legal-hold', 'torrent', 'restore', 'select', 'attributes', 'cors', 'policy', 'lifecycle', 'versioning', 'website', 'encryption', 'notification', 'logging', 'replication', 'accelerate', 'object-lock', 'ownershipControls', 'publicAccessBlock'];

function operationOf(method: string, key: string, q: URLSearchParams, bucket: string, headers: http.IncomingHttpHeaders): string {
  if (UNSUPPORTED_SUBRESOURCES.some((r) => q.has(r))) return 'Unknown';
  if (!bucket) return method === 'GET' ? 'ListBuckets' : 'Unknown';
  if (!key) return ({ PUT: 'CreateBucket', HEAD: 'HeadBucket', GET: 'ListObjectsV2', DELETE: 'DeleteBucket' } as Record<string, string>)[method] ?? 'Unknown';
  if (method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && q.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'PUT' && q.has('uploadId')) return 'UploadPart';
  if (method === 'DELETE' && q.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'PUT' && headers['x-amz-copy-source']) return 'CopyObject';
  return ({ PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' } as Record<string, string>)[method] ?? 'Unknown';
}

/** The IAM action an operation needs (S3's multipart calls fall under PutObject, as in IAM). */
const iamActionOf: Record<string, string> = {
  ListBuckets: 's3:ListAllMyBuckets', CreateBucket: 's3:CreateBucket', HeadBucket: 's3:ListBucket', ListObjectsV2: 's3:ListBucket',
  DeleteBucket: 's3:DeleteBucket', PutObject: 's3:PutObject', CopyObject: 's3:PutObject', CreateMultipartUpload: 's3:PutObject', UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject', AbortMultipartUpload: 's3:AbortMultipartUpload', GetObject: 's3:GetObject', HeadObject: 's3:GetObject', DeleteObject: 's3:DeleteObject',
};

async function handle(req: http.IncomingMessage, res: http.ServerResponse, ctx: Ctx): Promise<void> {
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  const url = req.url ?? '/';
  const qAt = url.indexOf('?');
  const rawPath = qAt < 0 ? url : url.slice(0, qAt);
  const query = qAt < 0 ? '' : url.slice(qAt + 1);
  const q = new URLSearchParams(query);
  const slash = rawPath.indexOf('/', 1);
  const bucket = decodeURIComponent(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
  const key = slash < 0 ? '' : decodeURIComponent(rawPath.slice(slash + 1));
  const method = req.method ?? 'GET';
  const action = operationOf(method, key, q, bucket, req.headers);
  let caller: Caller | undefined;
  let status = 500;
  let errorCode: string | undefined;
  res.setHeader('x-amz-request-id', requestId);
  try {
    const signed = { method, path: rawPath, query, headers: req.headersDistinct, body: Buffer.alloc(0) };
    const mode = payloadMode(req.headers['x-amz-content-sha256'] as string | undefined);
    if (req.headers['x-amz-content-sha256'] === undefined && req.headers.authorization) throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    const authn = await authenticate(signed, ctx.iam, 's3', ctx.clock(), { streamedBody: true });
    caller = authn.caller;
    if (!authn.ok) throw new S3Error(authErrors[authn.failure][0], authErrors[authn.failure][1], authn.message);
    if (caller!.kind !== 'session' || !ctx.iam.allows(caller!, iamActionOf[action] ?? 's3:Unknown')) {
      throw new S3Error(403, 'AccessDenied', `User: ${caller!.arn} is not authorized to perform: ${iamActionOf[action] ?? action}`);
    }
    const body = () => checkedBody(req, mode, caller!);
    status = await serve(action, { req, caller: caller!, res, ctx, bucket, key, q, body });
  } catch (err) {
    const e = toS3Error(err);
    status = e.status;
    errorCode = e.code;
    req.resume();
    sendError(res, e, requestId, method);
  } finally {
    ctx.log({ time: ctx.clock(), service: 's3', action, callerArn: caller?.arn, accessKeyId: signingKeyId({ method, path: rawPath, query, headers: req.headersDistinct, body: Buffer.alloc(0) }), status, errorCode });
  }
}

/** The request's body as its bytes, with the check S3 applies to its payload mode, run after the last byte. */
interface CheckedBody {
  data: Readable;
  /** Throws when the body did not match what was signed (call after `data` ended). */
  check(): void;
}

function checkedBody(req: http.IncomingMessage, mode: PayloadMode, caller: Caller): CheckedBody {
  const declared = String(req.headers['x-amz-content-sha256'] ?? '');
  const md5 = req.headers['content-md5'] as string | undefined;
  const sha = mode === 'hash' ? createHash('sha256') : undefined;
  const md5h = md5 ? createHash('md5') : undefined;
  let reader: AwsChunkedReader | undefined;
  const crc = { value: 0 };
  const trailerWants = String(req.headers['x-amz-trailer'] ?? '').toLowerCase();
  // Hashes what passes (a transform, not a 'data' listener: nothing flows before the store reads it).
  const data = new Transform({
    transform(d: Buffer, _enc, callback) {
      sha?.update(d);
      md5h?.update(d);
      if (trailerWants === 'x-amz-checksum-crc32') crc.value = crc32(d, crc.value);
      callback(null, d);
    },
  });
  if (isChunked(mode)) {
    const auth = parseAuthorization(req.headers.authorization);
    const decoded = Number(req.headers['x-amz-decoded-content-length']);
    reader = new AwsChunkedReader({
      mode: mode as 'chunked-signed',
      signing:
        mode === 'chunked-unsigned-trailer'
          ? undefined
          : { key: signingKey(caller.credentials.secretAccessKey, auth.date, auth.region, 's3'), amzDate: String(req.headers['x-amz-date']), scope: `${auth.date}/${auth.region}/s3/aws4_request`, seedSignature: auth.signature },
      output: 'decoded',
      decodedLength: Number.isFinite(decoded) ? decoded : undefined,
      maxChunkBytes: MAX_CHUNK,
    });
    reader.once('error', (e) => {
      req.unpipe(reader!);
      data.destroy(e);
    });
    req.pipe(reader).pipe(data);
  } else req.pipe(data);
  req.once('aborted', () => data.destroy(new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.')));
  return {
    data,
    check() {
      if (sha && sha.digest('hex') !== declared) throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      if (md5h && md5h.digest('base64') !== md5) throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
      if (trailerWants === 'x-amz-checksum-crc32') {
        const want = Buffer.alloc(4);
        want.writeUInt32BE(crc.value >>> 0);
        if (reader?.trailers['x-amz-checksum-crc32'] !== want.toString('base64')) throw new S3Error(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
      }
    },
  };
}

interface Call {
  req: http.IncomingMessage;
  caller: Caller;
  res: http.ServerResponse;
  ctx: Ctx;
  bucket: string;
  key: string;
  q: URLSearchParams;
  body(): CheckedBody;
}

/** Runs one operation; returns the status answered. */
async function serve(action: string, c: Call): Promise<number> {
  const { res, ctx, bucket, key, q } = c;
  const store = ctx.store;
  switch (action) {
    case 'ListBuckets': {
      const all = await store.buckets();
      return xml(res, 200, `<ListAllMyBucketsResult><Owner><ID>sandbox</ID></Owner><Buckets>${all.map((b) => `<Bucket><Name>${esc(b.name)}</Name><CreationDate>${b.created}</CreationDate></Bucket>`).join('')}</Buckets></ListAllMyBucketsResult>`);
    }
    case 'CreateBucket':
      c.req.resume();
      await store.createBucket(bucket);
      res.writeHead(200, { location: `/${bucket}`, 'content-length': 0 });
      res.end();
      return 200;
    case 'HeadBucket':
      await store.assertBucket(bucket);
      res.writeHead(200, { 'content-length': 0 });
      res.end();
      return 200;
    case 'ListObjectsV2':
      return listObjects(c);
    case 'PutObject': {
      const b = c.body();
      const info = await store.put(bucket, key, b.data, String(c.req.headers['content-type'] ?? 'binary/octet-stream'), () => b.check());
      res.writeHead(200, { etag: info.etag, 'content-length': 0 });
      res.end();
      return 200;
    }
    case 'CopyObject':
      return copyObject(c);
    case 'GetObject':
    case 'HeadObject':
      return getObject(c, action === 'HeadObject', await store.head(bucket, key));
    case 'DeleteObject':
      c.req.resume();
      await store.delete(bucket, key);
      res.writeHead(204);
      res.end();
      return 204;
    case 'CreateMultipartUpload': {
      c.req.resume();
      const id = await store.createUpload(bucket, key, String(c.req.headers['content-type'] ?? 'binary/octet-stream'));
      return xml(res, 200, `<InitiateMultipartUploadResult><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
    }
    case 'UploadPart': {
      const b = c.body();
      const etag = await store.putPart(bucket, key, q.get('uploadId') ?? '', Number(q.get('partNumber')), b.data, () => b.check());
      res.writeHead(200, { etag, 'content-length': 0 });
      res.end();
      return 200;
    }
    case 'CompleteMultipartUpload': {
      const b = c.body();
      const text = (await readBody(b.data, 1 << 20)).toString('utf8');
      b.check();
      const parts = [...text.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
        number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1]),
        etag: /<ETag>([^<]*)<\/ETag>/.exec(m[1])?.[1]?.replace(/&quot;/g, '"') ?? '',
      }));
      const info = await store.completeUpload(bucket, key, q.get('uploadId') ?? '', parts);
      return xml(res, 200, `<CompleteMultipartUploadResult><Location>/${esc(bucket)}/${esc(key)}</Location><Bucket>${esc(bucket)}</Bucket><Key>${esc(key)}</Key><ETag>${esc(info.etag)}</ETag></CompleteMultipartUploadResult>`);
    }
    case 'AbortMultipartUpload':
      c.req.resume();
      await store.abortUpload(bucket, key, q.get('uploadId') ?? '');
      res.writeHead(204);
      res.end();
      return 204;
    default:
      throw new S3Error(501, 'NotImplemented', `${c.req.method} ${c.req.url?.split('?')[0]} is not implemented by the sandbox`);
  }
}

/** PUT with x-amz-copy-source (`bucket/key`, URL-encoded, optionally with a leading '/'); the caller also needs s3:GetObject, as in IAM. */
async function copyObject(c: Call): Promise<number> {
  c.req.resume();
  const source = decodeURIComponent(String(c.req.headers['x-amz-copy-source']).split('?')[0]).replace(/^\//, '');
  const slash = source.indexOf('/');
  if (slash <= 0 || slash === source.length - 1) throw new S3Error(400, 'InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
  if (!c.ctx.iam.allows(c.caller, 's3:GetObject')) throw new S3Error(403, 'AccessDenied', `User: ${c.caller.arn} is not authorized to perform: s3:GetObject`);
  const [fromBucket, fromKey] = [source.slice(0, slash), source.slice(slash + 1)];
  const from = await c.ctx.store.head(fromBucket, fromKey);
  const replace = String(c.req.headers['x-amz-metadata-directive'] ?? '').toUpperCase() === 'REPLACE';
  const contentType = replace ? String(c.req.headers['content-type'] ?? 'binary/octet-stream') : from.contentType;
  const bytes = from.size > 0 ? c.ctx.store.read(fromBucket, fromKey, 0, from.size - 1) : Readable.from([]);
  const info = await c.ctx.store.put(c.bucket, c.key, bytes, contentType);
  return xml(c.res, 200, `<CopyObjectResult><ETag>${esc(info.etag)}</ETag><LastModified>${info.lastModified}</LastModified></CopyObjectResult>`);
}

async function listObjects(c: Call): Promise<number> {
  c.req.resume();
  const prefix = c.q.get('prefix') ?? '';
  const delimiter = c.q.get('delimiter') ?? '';
  const maxKeys = Math.min(1000, Number(c.q.get('max-keys') ?? 1000));
  const after = c.q.get('continuation-token') ?? c.q.get('start-after') ?? '';
  const contents: ObjectInfo[] = [];
  const prefixes = new Set<string>();
  let truncated = false;
  let last = '';
  for (const o of await c.ctx.store.list(c.bucket, prefix)) {
    if (o.key <= after) continue;
    const cut = delimiter ? o.key.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? o.key.slice(0, cut + delimiter.length) : undefined;
    if (common && prefixes.has(common)) continue;
    if (contents.length + prefixes.size >= maxKeys) {
      truncated = true;
      break;
    }
    if (common) prefixes.add(common);
    else contents.push(o);
    last = o.key;
  }
  const body =
    `<ListBucketResult><Name>${esc(c.bucket)}</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${contents.length + prefixes.size}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
    (delimiter ? `<Delimiter>${esc(delimiter)}</Delimiter>` : '') +
    `<IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${esc(last)}</NextContinuationToken>` : ''}` +
    contents.map((o) => `<Contents><Key>${esc(o.key)}</Key><LastModified>${o.lastModified}</LastModified><ETag>${esc(o.etag)}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('') +
    [...prefixes].map((p) => `<CommonPrefixes><Prefix>${esc(p)}</Prefix></CommonPrefixes>`).join('') +
    '</ListBucketResult>';
  return xml(c.res, 200, body);
}

/** GetObject and HeadObject, with one byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) as S3 takes it. */
function getObject(c: Call, headOnly: boolean, info: ObjectInfo): number {
  c.req.resume();
  let start = 0;
  let end = info.size - 1;
  let status = 200;
  const range = /^bytes=(\d*)-(\d*)$/.exec(String(c.req.headers.range ?? ''));
  if (range && (range[1] || range[2])) {
    if (range[1]) {
      start = Number(range[1]);
      if (range[2]) end = Math.min(end, Number(range[2]));
    } else start = Math.max(0, info.size - Number(range[2]));
    if (start >= info.size || start > end) throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable');
    status = 206;
  }
  const headers: Record<string, string | number> = {
    'content-type': info.contentType,
    'content-length': info.size === 0 ? 0 : end - start + 1,
    etag: info.etag,
    'last-modified': new Date(info.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
  };
  if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
  c.res.writeHead(status, headers);
  if (headOnly || info.size === 0) {
    c.res.end();
    return status;
  }
  const data = c.ctx.store.read(c.bucket, c.key, start, end);
  data.on('error', () => c.res.destroy());
  data.pipe(c.res);
  return status;
}

function xml(res: http.ServerResponse, status: number, body: string): number {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  return status;
}

function toS3Error(err: unknown): S3Error {
  if (err instanceof S3Error) return err;
  if (err instanceof TshError) {
    if (err.code === 'BAD_CREDENTIALS') return new S3Error(403, 'SignatureDoesNotMatch', err.message);
    if (err.code === 'TOO_LARGE') return new S3Error(400, 'EntityTooLarge', err.message);
    return new S3Error(400, 'InvalidRequest', err.message);
  }
  return new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
}

function sendError(res: http.ServerResponse, e: S3Error, requestId: string, method: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${esc(e.message)}</Message><RequestId>${requestId}</RequestId></Error>`;
  // A refused upload's rest is not read: the connection closes after the answer.
  res.setHeader('connection', 'close');
  res.writeHead(e.status, { 'content-type': 'application/xml', 'content-length': method === 'HEAD' ? 0 : Buffer.byteLength(body) });
  res.end(method === 'HEAD' ? undefined : body);
}

function esc(s: string): string {
  return s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch);
}
