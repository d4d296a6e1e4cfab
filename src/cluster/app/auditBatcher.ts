import type { Logger } from '../logger.js';

/** One audit event on its way to the auth service. */
export interface PendingEvent {
  event: string;
  fields: Record<string, unknown>;
}

const FLUSH_MS = 500;
const MAX_BATCH = 200;
const MAX_QUEUE = 10_000;

/**
 * Collects per-request audit events and sends them in batches, off the
 * request path: a request never waits for the audit log, and one API call
 * carries many events. A failed send is retried with the next batch;
 * past {@link MAX_QUEUE} pending events the oldest are dropped with a
 * warning rather than growing without bound.
 */
export class AuditBatcher {
  private queue: PendingEvent[] = [];
  private timer?: NodeJS.Timeout;
  private sending?: Promise<void>;

  constructor(
    private readonly send: (events: PendingEvent[]) => Promise<void>,
    private readonly log: Logger,
  ) {}

  add(event: string, fields: Record<string, unknown>): void {
    this.queue.push({ event, fields });
    if (this.queue.length > MAX_QUEUE) {
      const dropped = this.queue.length - MAX_QUEUE;
      this.queue.splice(0, dropped);
      this.log.warn('APP', `audit log unreachable: dropped ${dropped} events`);
    }
    if (this.queue.length >= MAX_BATCH) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Sends everything queued now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.sending;
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, MAX_BATCH);
    this.sending = this.send(batch).catch((err) => {
      this.queue.unshift(...batch);
      this.log.warn('APP', `could not send ${batch.length} audit events (will retry): ${(err as Error).message}`);
      if (!this.timer) {
        this.timer = setTimeout(() => void this.flush(), 5_000);
        this.timer.unref();
      }
    });
    await this.sending;
    if (this.queue.length >= MAX_BATCH) await this.flush();
  }
}
