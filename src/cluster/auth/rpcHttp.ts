import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { TshError } from '../../shared/errors.js';
import { readJsonBody, sendError, sendJson } from '../../shared/http/json.js';
import type { AuthService } from './authService.js';
import { peerCaller } from './peerCaller.js';
import { decodePathSegment } from '../requestUrl.js';
import type { ApiMethod } from '../../shared/api/clusterApi.js';

/** Serves `POST /v1/rpc/<method>` (`encodedMethod` as it stands in the path) for a caller identified by its client certificate. */
export async function handleRpc(auth: AuthService, req: IncomingMessage, res: ServerResponse, encodedMethod: string): Promise<void> {
  try {
    const method = decodePathSegment(encodedMethod);
    if (req.method !== 'POST') throw new TshError('BAD_INPUT', 'the cluster API takes POST requests');
    const caller = await peerCaller(auth, req.socket as TLSSocket);
    if (!caller) throw new TshError('NOT_LOGGED_IN', 'not logged in', { hint: 'log in with `tsh login --proxy=HOST:PORT --user=NAME`' });
    const params = await readJsonBody(req, 8 << 20);
    const result = await auth.call(method as ApiMethod, caller, params);
    sendJson(res, 200, result ?? {});
  } catch (err) {
    sendError(res, err);
  }
}
