/**
 * AWS Management Console sign-in, on the app service.
 *
 * An AWS app request that carries no SigV4 signature (`GET /`, no
 * Authorization) asks for the console rather than an API: that is how the
 * proxy's web UI and `tsh aws console` reach it, over the same authorised
 * app connection as API requests (see proxy/web/launch.ts for the whole flow).
 *
 *   app certificate (checked when the connection was accepted) -> an AWS app, unexpired
 *     -> RBAC again: the certificate's IAM role on this app
 *     -> at least 15 minutes of login left (the shortest console session)
 *     -> STS AssumeRole(role, RoleSessionName = user)       the temporary keys stay here
 *     -> federation getSigninToken (SessionDuration unless role chaining)
 *     -> audit aws.console.login
 *     -> 302 Location: federation ?Action=login&Issuer=<proxy>&Destination=<app uri>&SigninToken=...
 *
 * Refusals are AWS-shaped JSON errors, as on the API path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TshError } from '../../shared/errors.js';
import { sendAwsError } from '../../shared/http/awsError.js';
import { isAwsConsoleUri } from '../../shared/aws/endpoints.js';
import type { Identity } from '../../shared/identity/identity.js';
import type { AppConfig } from '../config/teleportConfig.js';
import type { AccessChecker } from '../auth/accessChecker.js';
import type { Logger } from '../logger.js';
import type { AssumeRoleCache } from './assumeRole.js';
import { connectionContexts } from './awsHandler.js';
import { federationUrl, getSigninToken, SESSION_DURATION_LIMITS, signinUrl } from './federation.js';

/** Role chaining caps a role session at one hour (AWS). */
const CHAINED_MAX_MS = 3_600_000;

/** What console sign-in needs from the app service around it. */
export interface ConsoleSigninDeps {
  checkerFor(identity: Identity): Promise<AccessChecker>;
  /** The refusal for a user or role under a lock (see auth/locks), checked before anything else. */
  lockedOut(identity: Identity): TshError | undefined;
  credentials: AssumeRoleCache;
  audit(event: string, fields: Record<string, unknown>): void;
  /** The proxy's public address: the sign-in's Issuer, where the console sends the user back. */
  proxyPublicAddr(): Promise<string>;
  log: Logger;
  clock?: () => Date;
  /** Where AWS_ENDPOINT_URL_SIGNIN / AWS_ENDPOINT_URL are read from; process.env when absent. */
  env?: NodeJS.ProcessEnv;
}

/** True for the request shape that asks for the console: `GET /` with no signature of any kind. */
export function isConsoleRequest(req: IncomingMessage): boolean {
  return req.method === 'GET' && req.url === '/' && req.headers.authorization === undefined;
}

/** Sends console requests to `consoleSignin` and everything else to `api`. */
export function dispatchConsoleRequests(
  consoleSignin: (req: IncomingMessage, res: ServerResponse) => void,
  api: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => (isConsoleRequest(req) ? consoleSignin(req, res) : api(req, res));
}

/** Builds the handler for console requests (see the module comment). */
export function createConsoleHandler(deps: ConsoleSigninDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const clock = deps.clock ?? (() => new Date());
  return (req, res) => {
    req.resume();
    void signin(req)
      .then((url) => {
        res.writeHead(302, { location: url, 'cache-control': 'no-store', 'content-length': 0 });
        res.end();
      })
      .catch((err) => {
        if (!(err instanceof TshError)) deps.log.error('APP', `console sign-in failed: ${(err as Error)?.stack ?? err}`);
        sendAwsError(res, err);
      });
  };

  async function signin(req: IncomingMessage): Promise<string> {
    const { identity, app } = verifiedConnection(req);
    const route = identity.app!;
    const locked = deps.lockedOut(identity);
    if (locked) throw locked;
    await requireRole(identity, app);
    const msLeft = loginTimeLeft(identity, clock());
    const federation = federationUrl(app.uri, deps.env);
    const issuer = `https://${await deps.proxyPublicAddr()}`;
    const chained = await deps.credentials.baseIsTemporary();
    const consoleSeconds = seconds(Math.min(msLeft, chained ? CHAINED_MAX_MS : SESSION_DURATION_LIMITS.max * 1000));
    // Role chaining: the console session lasts as long as the credentials, and SessionDuration is refused;
    // otherwise the credentials get STS's default and SessionDuration sets the console session.
    const creds = await deps.credentials.fresh(route.awsRoleArn, identity.username, app.awsExternalId, chained ? consoleSeconds : undefined);
    const token = await getSigninToken(federation, creds, chained ? undefined : consoleSeconds);
    deps.audit('aws.console.login', {
      user: identity.username,
      app_name: app.name,
      app_uri: app.uri,
      app_public_addr: route.publicAddr,
      sid: route.sessionId,
      aws_role_arn: route.awsRoleArn,
      aws_assumed_role: creds.assumedRoleArn,
      console_session_seconds: consoleSeconds,
    });
    return signinUrl(federation, { issuer, destination: app.uri, token });
  }

  async function requireRole(identity: Identity, app: AppConfig): Promise<void> {
    const arn = identity.app!.awsRoleArn;
    if (!(await deps.checkerFor(identity)).canUseAwsRole(app, arn)) {
      throw new TshError('ACCESS_DENIED', `access to app "${app.name}" with IAM role ${arn} is denied for user "${identity.username}"`, {
        hint: 'your roles no longer allow this IAM role on this app; ask an administrator',
      });
    }
  }
}

/** The connection's verified app identity, for an AWS app; throws the refusal otherwise. */
function verifiedConnection(req: IncomingMessage): { identity: Identity; app: AppConfig } {
  const ctx = connectionContexts.get(req.socket);
  if (!ctx || ctx.refusal || !ctx.identity?.app) throw ctx?.refusal ?? new TshError('CERTIFICATE', 'an app certificate is required');
  if (!isAwsConsoleUri(ctx.app.uri)) {
    throw new TshError('BAD_INPUT', `app "${ctx.app.name}" is not an AWS console app (its uri is ${ctx.app.uri})`, { hint: 'only apps whose uri is an AWS console URL open the AWS Management Console' });
  }
  return { identity: ctx.identity, app: ctx.app };
}

/** What is left of the login the certificate carries; refused below the shortest console session AWS allows. */
function loginTimeLeft(identity: Identity, now: Date): number {
  const msLeft = Date.parse(identity.expires) - now.getTime();
  if (msLeft < SESSION_DURATION_LIMITS.min * 1000) {
    const minutes = Math.max(0, Math.floor(msLeft / 60_000));
    throw new TshError('SESSION_EXPIRED', `the shortest AWS console session is ${SESSION_DURATION_LIMITS.min / 60} minutes, but this login expires in ${minutes} minute${minutes === 1 ? '' : 's'}`, {
      hint: 'log in again with `tsh login`, or sign in to the web UI again, then launch the console',
    });
  }
  return msLeft;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
