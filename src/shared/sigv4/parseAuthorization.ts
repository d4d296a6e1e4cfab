import { TshError } from '../errors.js';
import type { ParsedAuthorization } from './types.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** IAM's AccessKeyId pattern: word characters, at most 128. */
const KEY_ID = /^\w{1,128}$/;
const SCOPE_DATE = /^\d{8}$/;
const SCOPE_NAME = /^[a-z0-9-]{1,64}$/;
/** An HTTP token, plus ':' so that h2 clients may sign `:authority`. */
const HEADER_NAME = /^:?[a-z0-9!#$%&'*+.^_`|~-]+$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/20261124/us-east-1/dynamodb/aws4_request,
 * SignedHeaders=a;b, Signature=hex` into its parts.
 *
 * Why a strict parser of our own: the proxy and the sandbox decide from these
 * parts which key to check and which service a request is for, so anything
 * ambiguous (a repeated field, a scope with extra parts, SigV4a) is refused
 * here with a message naming the part, rather than guessed at further down.
 * Throws TshError('BAD_INPUT').
 */
export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (header === undefined || header.trim() === '') throw bad('the request has no Authorization header');
  const text = header.trim();
  const space = text.indexOf(' ');
  const algorithm = space < 0 ? text : text.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw bad(`the Authorization algorithm is "${algorithm.slice(0, 40)}", expected ${ALGORITHM}`);
  }
  const fields = readFields(text.slice(space + 1));
  const credential = required(fields, 'Credential');
  const signedHeaders = required(fields, 'SignedHeaders');
  const signature = required(fields, 'Signature');

  const scope = credential.split('/');
  if (scope.length !== 5) throw bad('the Authorization Credential must have 5 parts: key/date/region/service/aws4_request');
  const [accessKeyId, date, region, service, terminator] = scope;
  if (!KEY_ID.test(accessKeyId)) throw bad('the Authorization Credential has an invalid access key id');
  if (!SCOPE_DATE.test(date)) throw bad('the Authorization Credential date must be YYYYMMDD');
  if (!SCOPE_NAME.test(region)) throw bad('the Authorization Credential region is invalid');
  if (!SCOPE_NAME.test(service)) throw bad('the Authorization Credential service is invalid');
  if (terminator !== 'aws4_request') throw bad('the Authorization Credential must end with aws4_request');

  const names = signedHeaders.split(';');
  for (const name of names) {
    if (!HEADER_NAME.test(name)) throw bad('the Authorization SignedHeaders must be lower-case header names separated by ";"');
  }
  if (!SIGNATURE.test(signature)) throw bad('the Authorization Signature must be 64 lower-case hex digits');

  return { accessKeyId, date, region, service, signedHeaders: names, signature };
}

/** Splits `A=x, B=y` (clients differ on the space after the comma) into a map, refusing repeats. */
function readFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    if (eq <= 0) throw bad(`the Authorization field "${item.slice(0, 40)}" is not name=value`);
    const name = item.slice(0, eq);
    if (fields.has(name)) throw bad(`the Authorization field ${name} appears twice`);
    fields.set(name, item.slice(eq + 1));
  }
  return fields;
}

function required(fields: Map<string, string>, name: string): string {
  const value = fields.get(name);
  if (!value) throw bad(`the Authorization header has no ${name}`);
  return value;
}

function bad(message: string): TshError {
  return new TshError('BAD_INPUT', message);
}
