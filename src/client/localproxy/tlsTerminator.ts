/**
 * Where TLS from AWS clients ends: the local proxy shows each client a
 * certificate for the host it asked for (`dynamodb.us-east-1.amazonaws.com`,
 * or 127.0.0.1 in endpoint mode), signed by the app's local CA, which the
 * client trusts through AWS_CA_BUNDLE.
 *
 *   client --CONNECT host:443--> forward proxy --(same socket)--> TLSSocket(server, leaf for host)
 *                                                                   |
 *                                                                   v  'connection'
 *                                                               inner HTTP server
 *
 * The socket the client opened is wrapped in place (no second TCP hop), and
 * everything costly stays off the request path: one leaf key for all hosts,
 * leaves minted once per host, secure contexts built once per host (~0.8 ms
 * each) and reused by every connection until the CA is renewed.
 */
import tls, { type SecureContext, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { LeafMinter, type LocalCa } from './localCa.js';

/** More distinct hosts than this (S3 bucket hosts, say) flush the caches rather than grow without bound. */
const MAX_CACHED_HOSTS = 1024;

/** Mints, caches and applies server certificates for intercepted connections. */
export class TlsTerminator {
  private readonly minter: LeafMinter;
  private readonly contexts = new Map<string, SecureContext>();
  private readonly served = new WeakMap<object, string>();

  constructor(ca: LocalCa) {
    this.minter = new LeafMinter(ca);
  }

  /** The local CA in use. */
  get ca(): LocalCa {
    return this.minter.current;
  }

  /** Switches to a renewed local CA: connections from now on get leaves it signed. */
  replaceCa(ca: LocalCa): void {
    this.minter.replaceCa(ca);
    this.contexts.clear();
  }

  /** The secure context serving `host` (a DNS name or an IP address), built once. */
  contextFor(host: string): SecureContext {
    const name = host.toLowerCase();
    let ctx = this.contexts.get(name);
    if (!ctx) {
      if (this.contexts.size >= MAX_CACHED_HOSTS) this.replaceCa(this.minter.current);
      const leaf = this.minter.leafFor(name);
      ctx = tls.createSecureContext({ key: leaf.key, cert: leaf.cert, minVersion: 'TLSv1.2' });
      this.contexts.set(name, ctx);
    }
    return ctx;
  }

  /**
   * Starts the server side of TLS on a socket a client opened, presenting a
   * certificate for `host`. The caller hands the result to an HTTP server.
   */
  wrap(socket: Duplex, host: string): TLSSocket {
    const name = host.toLowerCase();
    const wrapped = new tls.TLSSocket(socket, {
      isServer: true,
      secureContext: this.contextFor(name),
      ALPNProtocols: ['http/1.1'],
      requestCert: false,
    });
    this.served.set(wrapped, name);
    return wrapped;
  }

  /**
   * The host a wrapped socket was given a certificate for: the CONNECT
   * target, or the loopback address of the endpoint server. The request
   * handler holds each request's Host to it, so a client cannot ask the
   * proxy for one host inside a tunnel it opened to another.
   */
  hostOf(socket: object): string | undefined {
    return this.served.get(socket);
  }
}
