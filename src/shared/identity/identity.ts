/**
 * The identity a certificate carries, and how it is encoded.
 *
 * Every certificate the cluster issues holds one private, non-critical X.509
 * extension, OID {@link IDENTITY_OID}, whose value is a UTF8String with the
 * JSON of an {@link Identity}. The subject CN repeats the user (or host) name
 * and O the roles, so ordinary tools (`openssl x509 -text`) show who a
 * certificate is for; the extension is what the cluster trusts.
 *
 * | kind  | signed by | issued by                 | extra fields                                   |
 * |-------|-----------|---------------------------|------------------------------------------------|
 * | user  | user CA   | `tsh login`               | roles, traits, awsRoleArns (allowed, expanded) |
 * | app   | user CA   | `tsh apps login`          | as user, plus `app` (the route to one app)     |
 * | admin | user CA   | first start, in data_dir  | the local administrator `tctl -c` uses         |
 * | host  | host CA   | first start / agent join  | hostRole (proxy, app, auth)                    |
 *
 * A certificate is only as good as the CA that signed it: the proxy and the
 * app service check the issuing CA for the kind (see `expectedIssuer`) before
 * they read this extension.
 */
import { utf8, toDer, fromDer, readText } from '../pki/der.js';
import type { CustomExtension } from '../pki/createCertificate.js';
import { readCertificate, type ParsedCertificate } from '../pki/readCertificate.js';
import { TshError } from '../errors.js';

/** A private-arc OID for our identity extension. */
export const IDENTITY_OID = '1.3.9999.7.1';

/** What a certificate's holder is; it decides which CA must have signed it and which APIs it may call. */
export type IdentityKind = 'user' | 'app' | 'admin' | 'host';

/** The route an app certificate is bound to. */
export interface AppRoute {
  /** App name as configured on the app service (`aws`). */
  name: string;
  /** The app's public address (`aws.proxy.example.com`). */
  publicAddr: string;
  /** Server-side app session; the proxy refuses the certificate once it is gone. */
  sessionId: string;
  /** The IAM role this certificate may use, chosen at `tsh apps login`. */
  awsRoleArn: string;
}

/** Who a certificate speaks for, as the cluster trusts it; stored as JSON in the certificate's identity extension. */
export interface Identity {
  kind: IdentityKind;
  /** Teleport user name, or the host id for hosts. */
  username: string;
  /** Cluster that issued the certificate. */
  cluster: string;
  /** Cluster role names at issue time; access checks load these roles again on each request. */
  roles: string[];
  /** User traits at issue time, used to expand role templates such as `{{internal.aws_role_arns}}`. */
  traits: Record<string, string[]>;
  /** IAM role ARNs the user may assume (allow minus deny, templates expanded) at issue time. */
  awsRoleArns: string[];
  /** RFC 3339; equals the certificate's notAfter. */
  expires: string;
  /** Only on app certificates. */
  app?: AppRoute;
  /** Only on host certificates. */
  hostRole?: 'auth' | 'proxy' | 'app';
}

/** The extension that carries an identity. */
export function identityExtension(identity: Identity): CustomExtension {
  return { oid: IDENTITY_OID, value: toDer(utf8(JSON.stringify(identity))) };
}

/** The identity of a parsed certificate; throws CERTIFICATE when there is none. */
export function identityOf(cert: ParsedCertificate): Identity {
  const ext = cert.extensions.get(IDENTITY_OID);
  if (!ext) throw new TshError('CERTIFICATE', 'the certificate was not issued by a tsh-aws cluster');
  try {
    const identity = JSON.parse(readText(fromDer(ext.value))) as Identity;
    if (typeof identity.username !== 'string' || typeof identity.kind !== 'string') throw new Error('incomplete');
    return identity;
  } catch (cause) {
    throw new TshError('CERTIFICATE', 'the certificate carries an unreadable identity', { cause });
  }
}

/** Reads the identity out of a PEM or DER certificate. */
export function readIdentity(cert: string | Buffer): Identity {
  return identityOf(readCertificate(cert));
}

/** Which of the cluster's CAs must have signed a certificate of this kind. */
export function expectedIssuer(kind: IdentityKind): 'user' | 'host' {
  return kind === 'host' ? 'host' : 'user';
}
