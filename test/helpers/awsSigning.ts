/**
 * Sends SigV4-signed requests through a local AWS proxy the way an SDK
 * would (CONNECT through HTTPS_PROXY, or straight to an endpoint URL), with
 * knobs to break the signature in each way the proxy must refuse.
 */
import https from 'node:https';
import { HttpsProxyAgent } from 'hpagent';
import { signRequest } from '../../src/shared/sigv4/signRequest.js';
import type { AwsCredentials } from '../../src/shared/sigv4/types.js';

export interface SignedSendOptions {
  /** http://127.0.0.1:PORT (proxy) or https://127.0.0.1:PORT (endpoint). */
  via: { mode: 'proxy' | 'endpoint'; url: string };
  /** PEM the client trusts (the local CA). */
  ca: string;
  creds: AwsCredentials;
  host?: string;
  /** Host header to send (defaults to host, or the endpoint's host:port). */
  hostHeader?: string;
  service?: string;
  region?: string;
  method?: string;
  path?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Signing time (default now). */
  now?: Date;
  /** Send this body instead of the signed one. */
  sendBody?: string | Buffer;
  /** Leave out the Authorization header. */
  unsigned?: boolean;
  /** Add x-amz-content-sha256 of the signed body (as the JS SDK does). */
  contentSha?: string;
  agent?: https.Agent;
  /** Send the first MiB of the body, and the rest only once the answer has begun (a client still writing when a refusal comes); resolves once both are done, so a connection closed under the writes rejects. */
  restAfterAnswer?: boolean;
}

export interface SendResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Signs and sends one request; resolves with the answer. */
export async function sendSigned(o: SignedSendOptions): Promise<SendResult> {
  const service = o.service ?? 'dynamodb';
  const region = o.region ?? 'us-east-1';
  const host = o.host ?? `${service}.${region}.amazonaws.com`;
  const endpoint = o.via.mode === 'endpoint' ? new URL(o.via.url) : undefined;
  const hostHeader = o.hostHeader ?? (endpoint ? endpoint.host : host);
  const body = Buffer.from(o.body ?? '{}');
  const path = o.path ?? '/';
  const q = path.indexOf('?');
  const headers: Record<string, string> = {
    host: hostHeader,
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.ListTables',
    ...o.headers,
  };
  if (o.contentSha) headers['x-amz-content-sha256'] = o.contentSha;
  const signedNames = Object.keys(headers);
  headers['x-amz-date'] = 'placeholder';
  const signed = await signRequest(
    { method: o.method ?? 'POST', path: q < 0 ? path : path.slice(0, q), query: q < 0 ? '' : path.slice(q + 1), headers, body },
    o.creds,
    { region, service, signedHeaders: [...signedNames, 'x-amz-date'], now: o.now },
  );
  Object.assign(headers, signed);
  if (o.unsigned) delete headers.authorization;
  const sendBody = Buffer.from(o.sendBody ?? body);
  headers['content-length'] = String(sendBody.length);

  const agent = o.agent ?? (endpoint ? new https.Agent({ ca: [o.ca] }) : new HttpsProxyAgent({ proxy: o.via.url, ca: [o.ca] }));
  return new Promise<SendResult>((resolve, reject) => {
    const req = https.request(
      {
        host: endpoint ? endpoint.hostname : host,
        port: endpoint ? Number(endpoint.port) : 443,
        method: o.method ?? 'POST',
        path,
        headers,
        agent,
        servername: endpoint ? undefined : host,
      },
      (res) => {
        if (o.restAfterAnswer) req.end(sendBody.subarray(1 << 20));
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        const answered = new Promise<SendResult>((done) => res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })));
        const written = o.restAfterAnswer ? new Promise((done) => req.on('finish', done)) : undefined;
        void Promise.all([answered, written]).then(([answer]) => resolve(answer));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (o.restAfterAnswer) req.write(sendBody.subarray(0, 1 << 20));
    else req.end(sendBody);
  }).finally(() => {
    if (!o.agent) agent.destroy();
  });
}
