import http from 'node:http';
import { createRequire } from 'node:module';
import { TshError } from '../shared/errors.js';
import type { SignedRequest } from '../shared/sigv4/types.js';
import { closeServer, listenLocal } from './listen.js';
import type { CallBackend } from './seedTables.js';

/** dynalite checks only that a signature is present and well-formed; the gateway has already checked the real one. */
const BACKEND_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=sandbox/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

type DynaliteFactory = (opts: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => http.Server;

/**
 * dynalite is an optional dependency of tsh-aws (only the sandbox needs it):
 * when it is missing, say how to add it.
 */
function loadDynalite(): DynaliteFactory {
  try {
    return createRequire(import.meta.url)('dynalite') as DynaliteFactory;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !/'dynalite'/.test((err as Error).message)) throw err;
    throw new TshError('MISSING_PROGRAM', "the sandbox's DynamoDB needs the npm package dynalite, which is not installed", {
      hint: 'install it next to tsh-aws: `npm install -g dynalite` when tsh-aws is installed globally, or `npm install dynalite` in a checkout',
    });
  }
}

/** The in-memory DynamoDB behind the sandbox's gateway: only the gateway and the table seeding reach it, never a client. */
export interface DynaliteBackend {
  /** Sends a verified request to dynalite and streams its answer to res; resolves with the status. */
  forward(req: SignedRequest, res: http.ServerResponse): Promise<number>;
  /** One DynamoDB call made by the sandbox itself (seeding tables). */
  call: CallBackend;
  close(): Promise<void>;
}

/**
 * dynalite in-process on 127.0.0.1 (in-memory, tables ACTIVE at once), and
 * the two ways the sandbox talks to it over a kept-alive connection pool.
 */
export async function startDynalite(): Promise<DynaliteBackend> {
  const dynalite = loadDynalite()({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const port = Number(new URL(await listenLocal(dynalite)).port);
  const agent = new http.Agent({ keepAlive: true });
  const request = (options: http.RequestOptions, onAnswer: (answer: http.IncomingMessage) => void): http.ClientRequest =>
    http.request({ host: '127.0.0.1', port, agent, ...options }, onAnswer);

  return {
    forward: (req, res) =>
      new Promise((resolve, reject) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        headers['content-length'] = String(req.body.length);
        const path = req.query ? `${req.path}?${req.query}` : req.path;
        const upstream = request({ method: req.method, path, headers }, (answer) => {
          const out = { ...answer.headers };
          for (const name of HOP_BY_HOP) delete out[name];
          res.writeHead(answer.statusCode ?? 502, out);
          answer.pipe(res);
          answer.on('end', () => resolve(answer.statusCode ?? 502));
          answer.on('error', reject);
        });
        upstream.on('error', reject);
        upstream.end(req.body);
      }),

    call: (operation, body) =>
      new Promise((resolve, reject) => {
        const payload = Buffer.from(JSON.stringify(body));
        const headers = {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': String(payload.length),
          'x-amz-target': `DynamoDB_20120810.${operation}`,
          'x-amz-date': '20260101T000000Z',
          authorization: BACKEND_AUTHORIZATION,
        };
        const req = request({ method: 'POST', path: '/', headers }, (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('error', reject);
          answer.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (answer.statusCode === 200) resolve(text ? JSON.parse(text) : {});
            else reject(new TshError('INTERNAL', `sandbox DynamoDB ${operation} failed (${answer.statusCode}): ${text}`));
          });
        });
        req.on('error', reject);
        req.end(payload);
      }),

    close: async () => {
      agent.destroy();
      await closeServer(dynalite);
    },
  };
}
