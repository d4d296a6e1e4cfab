/**
 * The answer to bytes Node's HTTP parser refuses (request smuggling shapes
 * such as Content-Length with Transfer-Encoding, obs-fold, bare LF, headers
 * past the size limit, a request that takes too long to arrive). Node would
 * otherwise answer a bare `400 Bad Request` or nothing at all; the client is
 * told instead what was wrong with its request, in the error shape of the
 * server it called, and the connection is closed, so nothing after the bad
 * bytes is read as a request.
 */
import { maxHeaderSize } from 'node:http';
import type { Duplex } from 'node:stream';
import { TshError } from '../errors.js';
import { writeAwsError } from './awsError.js';

/** Writes a refusal to a socket and ends it (writeAwsError, json.ts writeWireError). */
export type SocketRefusal = (socket: Duplex, err: TshError, status: number) => void;

/** A `clientError` listener for http.Server that answers with `write`. */
export function malformedRequestHandler(write: SocketRefusal): (err: NodeJS.ErrnoException & { reason?: string }, socket: Duplex) => void {
  return (err, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    socket.on('error', () => socket.destroy());
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      write(socket, new TshError('TOO_LARGE', `request headers are larger than ${maxHeaderSize} bytes`, { hint: 'send fewer or shorter headers' }), 431);
    } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      write(socket, new TshError('BAD_INPUT', 'the request did not arrive in time; nothing was sent', { hint: 'retry it' }), 408);
    } else {
      write(socket, new TshError('BAD_INPUT', `the request is not valid HTTP/1.1 (${err.reason ?? err.message}); nothing was sent`, { hint: 'send requests with an HTTP client that speaks HTTP/1.1' }), 400);
    }
  };
}

/** The listener for servers on the AWS request path (the local proxy, the app service): AWS-shaped answers. */
export const refuseMalformedRequest = malformedRequestHandler((socket, err, status) => writeAwsError(socket, err, {}, status));
