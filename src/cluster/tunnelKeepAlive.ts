import type { Http2Session } from 'node:http2';

/**
 * Pings a tunnel's HTTP/2 session on an interval and destroys it when an
 * answer does not come within `timeoutMs`. A half-open link (a relay that
 * silently drops bytes) raises no event by itself; this turns it into a
 * closed session within seconds, so both ends reconnect.
 */
export function keepTunnelAlive(session: Http2Session, intervalMs = 10_000, timeoutMs = 5_000): void {
  const timer = setInterval(() => {
    if (session.closed || session.destroyed) return clearInterval(timer);
    const guard = setTimeout(() => session.destroy(new Error('tunnel ping timed out')), timeoutMs);
    guard.unref();
    try {
      session.ping((err) => {
        clearTimeout(guard);
        if (err) session.destroy();
      });
    } catch {
      clearTimeout(guard);
      session.destroy();
    }
  }, intervalMs);
  timer.unref();
  session.on('close', () => clearInterval(timer));
}
