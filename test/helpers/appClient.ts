/**
 * Talks to the cluster proxy the way the local proxy does, without it: an
 * https.Agent that dials the proxy (whatever host a request names) with ALPN
 * tsh-app-v1 and the app certificate, so an AWS SDK client signs with any
 * key and the request reaches the app service over mTLS.
 */
import https from 'node:https';
import tls from 'node:tls';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** An agent for AWS SDK clients that tunnels every request to the cluster proxy (a new connection for each one when `keepAlive` is false). */
export function appCertAgent(opts: { proxyAddr: string; key: string; cert: string; ca: string; keepAlive?: boolean }): https.Agent {
  const i = opts.proxyAddr.lastIndexOf(':');
  const host = opts.proxyAddr.slice(0, i);
  const port = Number(opts.proxyAddr.slice(i + 1));
  const agent = new https.Agent({ keepAlive: opts.keepAlive ?? true });
  (agent as any).createConnection = (_o: unknown, cb: (err: Error | null, s?: tls.TLSSocket) => void) => {
    const s = tls.connect({ host, port, key: opts.key, cert: opts.cert, ca: [opts.ca], ALPNProtocols: ['tsh-app-v1'], servername: 'localhost' });
    s.once('secureConnect', () => cb(null, s));
    s.once('error', (e) => cb(e));
    return undefined;
  };
  return agent;
}

/** A DynamoDB client straight to the cluster proxy with an app certificate, signing with a made-up key (the app service re-signs). */
export function appCertDynamoDb(opts: { proxyAddr: string; key: string; cert: string; ca: string }, maxAttempts = 1): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'ANYKEY', secretAccessKey: 'any' },
    requestHandler: new NodeHttpHandler({ httpsAgent: appCertAgent(opts), requestTimeout: 20_000 }),
    maxAttempts,
  });
}

/** The app key pair and cluster CA of a file-store tsh home. */
export async function readAppCredentials(teleportHome: string, proxyHost: string, user: string, cluster: string, app: string): Promise<{ key: string; cert: string; ca: string }> {
  const base = join(teleportHome, 'keys', proxyHost, `${user}-app`, cluster, app);
  const [key, cert, ca] = await Promise.all([readFile(`${base}.key`, 'utf8'), readFile(`${base}.crt`, 'utf8'), readFile(join(teleportHome, 'keys', proxyHost, 'cas', `${cluster}.pem`), 'utf8')]);
  return { key, cert, ca };
}

/** A TLS session to the cluster proxy's app port with an app certificate, as the local proxy opens one. */
export function appTls(opts: { proxyAddr: string; key: string; cert: string; ca: string }): Promise<tls.TLSSocket> {
  const i = opts.proxyAddr.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: opts.proxyAddr.slice(0, i), port: Number(opts.proxyAddr.slice(i + 1)), key: opts.key, cert: opts.cert, ca: [opts.ca], servername: 'localhost', ALPNProtocols: ['tsh-app-v1'] }, () => resolve(s));
    s.once('error', reject);
  });
}
