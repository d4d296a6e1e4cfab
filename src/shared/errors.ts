/**
 * Typed errors shared by the client, the cluster and the command layer.
 *
 * Every failure a user can meet is a {@link TshError}: a stable machine code,
 * one sentence saying what went wrong, and an optional hint saying what to do.
 * The code travels unchanged across the HTTP API (see {@link toWireError} and
 * {@link fromWireError}), so a refusal decided by the cluster reaches the
 * terminal with its own words, and the command layer maps codes to exit codes
 * in one place ({@link exitCodeFor}).
 */

/** Stable error codes. Never rename one: scripts and tests match on them. */
export const ErrorCodes = {
  /** Bad flags or arguments: exit code 2. */
  usage: 'USAGE',
  /** Input that does not validate (a YAML document, an ARN, a duration). */
  badInput: 'BAD_INPUT',
  /** A configuration file that cannot be used as written. */
  config: 'CONFIG',
  notFound: 'NOT_FOUND',
  alreadyExists: 'ALREADY_EXISTS',
  /** The caller is known but may not do this. */
  accessDenied: 'ACCESS_DENIED',
  /** Wrong user name, password or one-time code (one message for all). */
  badCredentials: 'BAD_CREDENTIALS',
  /** Too many failed logins. */
  locked: 'LOCKED',
  notLoggedIn: 'NOT_LOGGED_IN',
  sessionExpired: 'SESSION_EXPIRED',
  proxyUnreachable: 'PROXY_UNREACHABLE',
  untrustedProxy: 'UNTRUSTED_PROXY',
  /** A request that needs a certificate came without a usable one. */
  certificate: 'CERTIFICATE',
  /** The app has no agent connected right now. */
  unavailable: 'UNAVAILABLE',
  /** A request body past the limit. */
  tooLarge: 'TOO_LARGE',
  /** A program tsh runs (the aws CLI) is missing. */
  missingProgram: 'MISSING_PROGRAM',
  /** A local port that is taken, or an address that may not be used. */
  listen: 'LISTEN',
  /** Ctrl-C. */
  interrupted: 'INTERRUPTED',
  /** A bug or an unexpected failure below us. */
  internal: 'INTERNAL',
} as const;

/** One of the stable codes in {@link ErrorCodes}; the field scripts, tests and exit codes key on. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** HTTP status for each code, used by the cluster's API. */
const httpStatusByCode: Record<ErrorCode, number> = {
  USAGE: 400,
  BAD_INPUT: 400,
  CONFIG: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ACCESS_DENIED: 403,
  BAD_CREDENTIALS: 401,
  LOCKED: 423,
  NOT_LOGGED_IN: 401,
  SESSION_EXPIRED: 401,
  PROXY_UNREACHABLE: 502,
  UNTRUSTED_PROXY: 502,
  CERTIFICATE: 401,
  UNAVAILABLE: 503,
  TOO_LARGE: 413,
  MISSING_PROGRAM: 500,
  LISTEN: 500,
  INTERRUPTED: 500,
  INTERNAL: 500,
};

/** The exit code of a command interrupted by Ctrl-C (128 + SIGINT), whether it failed or stopped as asked. */
export const INTERRUPTED_EXIT_CODE = 130;

/** Process exit code for each error code (0 is success, 2 usage, 130 Ctrl-C). */
const exitCodeByCode: Partial<Record<ErrorCode, number>> = {
  USAGE: 2,
  MISSING_PROGRAM: 127,
  INTERRUPTED: INTERRUPTED_EXIT_CODE,
};

/** An error a user can act on: a code, one sentence, and optionally what to do. */
export class TshError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  /** Extra lines printed before the error (a table of choices, say), on stdout. */
  readonly details?: string;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; details?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TshError';
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  /** The HTTP status the cluster answers with for this error. */
  get httpStatus(): number {
    return httpStatusByCode[this.code] ?? 500;
  }
}

/** Shorthand constructors, so call sites read as the condition they report. */
export const errors = {
  usage: (message: string, hint?: string) => new TshError('USAGE', message, { hint }),
  badInput: (message: string, hint?: string) => new TshError('BAD_INPUT', message, { hint }),
  notFound: (message: string, hint?: string) => new TshError('NOT_FOUND', message, { hint }),
  alreadyExists: (message: string, hint?: string) => new TshError('ALREADY_EXISTS', message, { hint }),
  accessDenied: (message: string, hint?: string) => new TshError('ACCESS_DENIED', message, { hint }),
  internal: (message: string, cause?: unknown) => new TshError('INTERNAL', message, { cause }),
};

/** The exit code a command returns for an error. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof TshError) return exitCodeByCode[err.code] ?? 1;
  return 1;
}

/** True when err is a TshError with the given code. */
export function isCode(err: unknown, code: ErrorCode): boolean {
  return err instanceof TshError && err.code === code;
}

/** The JSON shape of an error on the cluster's HTTP API. */
export interface WireError {
  error: { code: ErrorCode; message: string; hint?: string; details?: string };
}

/** Turns any thrown value into the API's JSON error; unexpected errors say nothing of their internals. */
export function toWireError(err: unknown): { status: number; body: WireError } {
  if (err instanceof TshError) {
    return {
      status: err.httpStatus,
      body: { error: { code: err.code, message: err.message, hint: err.hint, details: err.details } },
    };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error in the cluster; see its log' } } };
}

/** Rebuilds the TshError a cluster sent, or undefined when the body is not one. */
export function fromWireError(body: unknown): TshError | undefined {
  const e = (body as WireError | undefined)?.error;
  if (!e || typeof e.message !== 'string' || typeof e.code !== 'string') return undefined;
  const code = (Object.values(ErrorCodes) as string[]).includes(e.code) ? (e.code as ErrorCode) : 'INTERNAL';
  return new TshError(code, e.message, { hint: e.hint, details: e.details });
}
