/**
 * The sandbox S3's objects, on disk in a temp dir (never in memory, so large
 * objects cost no RAM):
 *
 *   <root>/buckets/<bucket>/<sha256 of key>        the object's bytes
 *   <root>/buckets/<bucket>/<sha256 of key>.json   its key, size, ETag, type, time
 *   <root>/uploads/<upload id>/<part number>       multipart parts (+ .json: ETag), and upload.json
 *
 * Every write goes to a temp file first and is renamed into place, so a
 * reader never sees half an object.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What is known of a stored object. */
export interface ObjectInfo {
  key: string;
  size: number;
  /** Quoted, as S3 sends it. */
  etag: string;
  contentType: string;
  lastModified: string;
}

export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export class S3Store {
  private constructor(readonly root: string) {}

  static async open(): Promise<S3Store> {
    const root = await mkdtemp(join(tmpdir(), 'tsh-sandbox-s3-'));
    await mkdir(join(root, 'buckets'));
    await mkdir(join(root, 'uploads'));
    return new S3Store(root);
  }

  async close(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  async createBucket(bucket: string): Promise<void> {
    if (!BUCKET_NAME.test(bucket)) throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.');
    try {
      await mkdir(this.bucketDir(bucket));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new S3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.');
      throw err;
    }
  }

  async buckets(): Promise<Array<{ name: string; created: string }>> {
    const names = (await readdir(join(this.root, 'buckets'))).sort();
    return Promise.all(names.map(async (name) => ({ name, created: (await stat(this.bucketDir(name))).birthtime.toISOString() })));
  }

  async assertBucket(bucket: string): Promise<void> {
    try {
      await stat(this.bucketDir(bucket));
    } catch {
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    }
  }

  /** Writes `body` as the object (replacing any), hashing MD5 as it goes; `check` may refuse it after the last byte (then nothing is stored). */
  async put(bucket: string, key: string, body: Readable, contentType: string, check: () => void = () => {}): Promise<ObjectInfo> {
    await this.assertBucket(bucket);
    const { md5, size, tmp } = await this.spill(body);
    try {
      check();
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return this.commit(bucket, key, tmp, { size, etag: `"${md5.toString('hex')}"`, contentType });
  }

  async head(bucket: string, key: string): Promise<ObjectInfo> {
    await this.assertBucket(bucket);
    try {
      return JSON.parse(await readFile(`${this.objectPath(bucket, key)}.json`, 'utf8')) as ObjectInfo;
    } catch {
      throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    }
  }

  /** The object's bytes from `start` to `end` inclusive. */
  read(bucket: string, key: string, start: number, end: number): Readable {
    return createReadStream(this.objectPath(bucket, key), { start, end, highWaterMark: 1 << 20 });
  }

  async delete(bucket: string, key: string): Promise<void> {
    await this.assertBucket(bucket);
    await rm(this.objectPath(bucket, key), { force: true });
    await rm(`${this.objectPath(bucket, key)}.json`, { force: true });
  }

  /** Every object of a bucket whose key starts with `prefix`, in key order. */
  async list(bucket: string, prefix: string): Promise<ObjectInfo[]> {
    await this.assertBucket(bucket);
    const files = (await readdir(this.bucketDir(bucket))).filter((f) => f.endsWith('.json'));
    const infos = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(this.bucketDir(bucket), f), 'utf8')) as ObjectInfo));
    return infos.filter((o) => o.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async createUpload(bucket: string, key: string, contentType: string): Promise<string> {
    await this.assertBucket(bucket);
    const id = randomBytes(24).toString('base64url');
    await mkdir(this.uploadDir(id));
    await writeFile(join(this.uploadDir(id), 'upload.json'), JSON.stringify({ bucket, key, contentType }));
    return id;
  }

  async putPart(bucket: string, key: string, id: string, part: number, body: Readable, check: () => void = () => {}): Promise<string> {
    await this.upload(bucket, key, id);
    if (!Number.isInteger(part) || part < 1 || part > 10_000) throw new S3Error(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
    const { md5, tmp } = await this.spill(body);
    try {
      check();
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const etag = `"${md5.toString('hex')}"`;
    await rename(tmp, join(this.uploadDir(id), String(part)));
    await writeFile(join(this.uploadDir(id), `${part}.json`), JSON.stringify({ etag }));
    return etag;
  }

  /** Joins the listed parts (in order, each as uploaded) into the object; its ETag is S3's: MD5 of the parts' MD5s, "-N". */
  async completeUpload(bucket: string, key: string, id: string, parts: Array<{ number: number; etag: string }>): Promise<ObjectInfo> {
    const upload = await this.upload(bucket, key, id);
    if (parts.length === 0) throw new S3Error(400, 'MalformedXML', 'You must specify at least one part');
    const digests: Buffer[] = [];
    let last = 0;
    for (const p of parts) {
      if (p.number <= last) throw new S3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
      last = p.number;
      let stored: { etag: string };
      try {
        stored = JSON.parse(await readFile(join(this.uploadDir(id), `${p.number}.json`), 'utf8'));
      } catch {
        throw new S3Error(400, 'InvalidPart', `Part ${p.number} was not uploaded.`);
      }
      if (stored.etag.replace(/"/g, '') !== p.etag.replace(/"/g, '')) throw new S3Error(400, 'InvalidPart', `Part ${p.number}'s ETag does not match.`);
      digests.push(Buffer.from(stored.etag.replace(/"/g, ''), 'hex'));
    }
    const tmp = join(this.root, `tmp-${randomBytes(8).toString('hex')}`);
    let size = 0;
    const files = parts.map((p) => join(this.uploadDir(id), String(p.number)));
    for (const f of files) size += (await stat(f)).size;
    await pipeline(async function* () {
      for (const f of files) yield* createReadStream(f, { highWaterMark: 1 << 20 });
    }, createWriteStream(tmp));
    const etag = `"${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${parts.length}"`;
    const info = await this.commit(bucket, key, tmp, { size, etag, contentType: upload.contentType });
    await rm(this.uploadDir(id), { recursive: true, force: true });
    return info;
  }

  async abortUpload(bucket: string, key: string, id: string): Promise<void> {
    await this.upload(bucket, key, id);
    await rm(this.uploadDir(id), { recursive: true, force: true });
  }

  private async upload(bucket: string, key: string, id: string): Promise<{ bucket: string; key: string; contentType: string }> {
    try {
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error('bad id');
      const u = JSON.parse(await readFile(join(this.uploadDir(id), 'upload.json'), 'utf8'));
      if (u.bucket === bucket && u.key === key) return u;
    } catch {
      // answered below
    }
    throw new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
  }

  /** Streams `body` to a temp file, with its MD5 and size. */
  private async spill(body: Readable): Promise<{ md5: Buffer; size: number; tmp: string }> {
    const tmp = join(this.root, `tmp-${randomBytes(8).toString('hex')}`);
    const md5 = createHash('md5');
    let size = 0;
    body.on('data', (d: Buffer) => {
      md5.update(d);
      size += d.length;
    });
    try {
      await pipeline(body, createWriteStream(tmp));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { md5: md5.digest(), size, tmp };
  }

  private async commit(bucket: string, key: string, tmp: string, o: { size: number; etag: string; contentType: string }): Promise<ObjectInfo> {
    const info: ObjectInfo = { key, size: o.size, etag: o.etag, contentType: o.contentType, lastModified: new Date().toISOString() };
    const path = this.objectPath(bucket, key);
    await rename(tmp, path);
    await writeFile(`${path}.json.tmp`, JSON.stringify(info));
    await rename(`${path}.json.tmp`, `${path}.json`);
    return info;
  }

  private bucketDir(bucket: string): string {
    if (!BUCKET_NAME.test(bucket)) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    return join(this.root, 'buckets', bucket);
  }

  private objectPath(bucket: string, key: string): string {
    return join(this.bucketDir(bucket), createHash('sha256').update(key).digest('hex'));
  }

  private uploadDir(id: string): string {
    return join(this.root, 'uploads', id);
  }
}
