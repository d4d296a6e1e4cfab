/**
 * The relay's side of an app service dying under a request, with real TLS
 * and real HTTP/2 streams: app services stand-ins that answer, die before
 * any byte of an answer, die in the middle of its head, or die while its
 * body streams. What the client on the other end sees is what is checked.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createCertificate } from '../../../src/shared/pki/createCertificate.js';
import { generateKeyPair } from '../../../src/shared/pki/generateKeyPair.js';
import { TshError } from '../../../src/shared/errors.js';
import { writeAwsError } from '../../../src/shared/http/awsError.js';
import { RelayedConnection, type RelayTarget } from '../../../src/cluster/proxy/relayedConnection.js';
import { rawExchange, rawRequest } from '../../helpers/rawHttp.js';

type Behaviour = 'answer' | 'die-before-answer' | 'die-in-head' | 'die-in-body';

/** A stand-in app service: an HTTP/2 server whose streams carry HTTP/1.1, acting out `behaviour` on each request. */
interface FakeAgent {
  hostId: string;
  behaviour: Behaviour;
  /** Request bodies it read whole. */
  got: string[];
  session: http2.ClientHttp2Session;
  close(): Promise<void>;
}

async function fakeAgent(hostId: string, behaviour: Behaviour): Promise<FakeAgent> {
  const server = http2.createServer();
  const agent = { hostId, behaviour, got: [] as string[] } as FakeAgent;
  server.on('stream', (stream) => {
    stream.respond({ ':status': 200 });
    let data = Buffer.alloc(0);
    stream.on('data', (c: Buffer) => {
      data = Buffer.concat([data, c]);
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(data.subarray(0, end).toString())?.[1] ?? 0);
      if (data.length < end + 4 + length) return;
      const body = data.subarray(end + 4, end + 4 + length).toString();
      data = data.subarray(end + 4 + length);
      const die = () => agent.session.destroy();
      switch (agent.behaviour) {
        case 'answer':
          agent.got.push(body);
          stream.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(`{"from":"${hostId}"}`)}\r\n\r\n{"from":"${hostId}"}`);
          return;
        case 'die-before-answer':
          agent.got.push(body);
          return die();
        case 'die-in-head':
          agent.got.push(body);
          stream.write('HTTP/1.1 200 OK\r\ncontent-type: appl');
          return void setTimeout(die, 50);
        case 'die-in-body':
          agent.got.push(body);
          stream.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"partial":');
          return void setTimeout(die, 50);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  agent.session = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  agent.session.on('error', () => {});
  agent.close = () => {
    agent.session.destroy();
    return new Promise((r) => server.close(() => r()));
  };
  return agent;
}

let server: tls.Server;
let port: number;
let agents: FakeAgent[] = [];
let retries = 0;

/** The proxy's side: each accepted connection relayed to the agents in order, as AppRelay does. */
before(async () => {
  const keys = await generateKeyPair();
  const cert = createCertificate({ commonName: 'proxy', publicKey: keys.publicKey, selfKey: keys.privateKey, notAfter: new Date(Date.now() + 3_600_000), usage: 'server', ipAddresses: ['127.0.0.1'] });
  server = tls.createServer({ key: keys.privateKey, cert });
  server.on('secureConnection', (socket) => {
    const open = (exclude: ReadonlySet<string>): RelayTarget | undefined => {
      const agent = agents.find((x) => !exclude.has(x.hostId) && !x.session.destroyed);
      return agent && { hostId: agent.hostId, stream: agent.session.request({ ':method': 'POST', ':path': '/app/aws' }, { endStream: false }) };
    };
    const relayed = new RelayedConnection(socket, open(new Set())!, {
      open,
      // The app relay's refuser, in miniature: the request head is read back, the error written in its format.
      refuse: (s, err, status) => {
        let head = '';
        s.on('data', (d: Buffer) => {
          head += d.toString('latin1');
          if (!head.includes('\r\n\r\n')) return;
          s.removeAllListeners('data');
          const headers = Object.fromEntries(head.split('\r\n').slice(1).filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
          writeAwsError(s, err, headers, status);
        });
      },
      lost: () => new TshError('UNAVAILABLE', 'the app service went away while the request was in flight'),
      brokenAnswer: () => new TshError('UNAVAILABLE', 'the app service failed while answering'),
      retried: () => retries++,
    });
    relayed.relay();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  for (const a of agents) await a.close();
  await new Promise((r) => server.close(r));
});

async function setAgents(...behaviours: Behaviour[]): Promise<void> {
  for (const a of agents) await a.close();
  agents = await Promise.all(behaviours.map((b, i) => fakeAgent(`agent-${i + 1}`, b)));
}

const dynamoDbRequest = (body: string) =>
  rawRequest('POST / HTTP/1.1', { host: 'dynamodb.us-east-1.amazonaws.com', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem', authorization: 'AWS4-HMAC-SHA256 Credential=K/20300101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' }, body);
const exchange = async (request: string) => rawExchange(await new Promise<tls.TLSSocket>((resolve, reject) => {
  const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => resolve(s));
  s.once('error', reject);
}), request);

test('an app service that dies before any byte of the answer: the request goes once more to another, whole', async () => {
  await setAgents('die-before-answer', 'answer');
  const before = retries;
  const body = JSON.stringify({ TableName: 't', Item: { id: { S: 'x'.repeat(100_000) } } });
  const res = await exchange(dynamoDbRequest(body));
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body), { from: 'agent-2' });
  assert.deepEqual(agents[1].got, [body], 'the second app service got the request byte for byte');
  assert.equal(retries - before, 1);
});

test('when the second one dies too, or none is left: a 503 in the service\'s error format', async () => {
  await setAgents('die-before-answer', 'die-before-answer', 'answer');
  const res = await exchange(dynamoDbRequest('{}'));
  assert.equal(res.status, 503, 'sent again once, not twice');
  assert.equal(res.headers['x-amzn-errortype'], 'ServiceUnavailableException');
  assert.match(res.body, /went away while the request was in flight/);
  assert.deepEqual(agents[2].got, [], 'the third never saw it');
  await setAgents('die-before-answer');
  assert.equal((await exchange(dynamoDbRequest('{}'))).status, 503);
});

test('an app service that dies in the middle of the answer\'s head: a 502, and the request is not sent again', async () => {
  await setAgents('die-in-head', 'answer');
  const res = await exchange(dynamoDbRequest('{}'));
  assert.equal(res.status, 502);
  assert.equal(res.headers['x-amzn-errortype'], 'ServiceUnavailableException');
  assert.match(res.body, /failed while answering/);
  assert.equal(res.headers.connection, 'close');
  assert.deepEqual(agents[1].got, [], 'the other app service never saw it: it may have been carried out');
});

test('an app service that dies while the body streams: the connection is cut (the head already went out)', async () => {
  await setAgents('die-in-body', 'answer');
  await assert.rejects(exchange(dynamoDbRequest('{}')), /closed|no complete answer/);
  assert.deepEqual(agents[1].got, []);
});

test('keep-alive: each request on a connection is its own: one answered, then the next retried elsewhere', async () => {
  await setAgents('answer', 'answer');
  const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => resolve(s));
    s.once('error', reject);
  });
  const read = () => new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
  socket.write(dynamoDbRequest('{"n":1}'));
  assert.match(await read(), /"from":"agent-1"/);
  agents[0].behaviour = 'die-before-answer';
  socket.write(dynamoDbRequest('{"n":2}'));
  assert.match(await read(), /"from":"agent-2"/);
  assert.deepEqual(agents[1].got, ['{"n":2}']);
  socket.destroy();
});
