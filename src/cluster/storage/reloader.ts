import type { Backend } from './backend.js';

/** How long a failed reload waits before it tries again (the backend was unreachable). */
const RETRY_MS = 1_000;

/**
 * A view kept in memory from the backend and read again whenever the change
 * feed says something under its prefixes changed (or may have: a reset).
 * Reads run one after another, so a slow read that began before a change can
 * never replace what a read after it found; one that fails is tried again
 * until it succeeds, so a change heard while the database was away is not
 * lost.
 */
export class Reloader {
  private reading: Promise<void> = Promise.resolve();
  private retry?: NodeJS.Timeout;
  private readonly unwatch: () => void;
  private closed = false;

  constructor(
    backend: Backend,
    prefixes: string[],
    private readonly load: () => Promise<void>,
  ) {
    const again = () => void this.reload().catch(() => {});
    this.unwatch = backend.watch(prefixes, { changes: again, reset: again });
  }

  /** Reads now (after a write here, or when the feed told of one); rejects when this read failed (a retry is scheduled). */
  reload(): Promise<void> {
    const run = this.reading.then(() => this.load());
    this.reading = run.catch(() => {
      if (this.closed || this.retry) return;
      this.retry = setTimeout(() => {
        this.retry = undefined;
        void this.reload().catch(() => {});
      }, RETRY_MS);
      this.retry.unref();
    });
    return run;
  }

  close(): void {
    this.closed = true;
    this.unwatch();
    if (this.retry) clearTimeout(this.retry);
  }
}
