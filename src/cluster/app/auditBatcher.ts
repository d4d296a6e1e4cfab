import type { Logger } from '../logger.js';

/** One audit event on its way to the auth service. */
export interface PendingEvent {
  event: string;
  fields: Record<string, unknown>;
}

const FLUSH_MS = 250;
const MAX_BATCH = 1000;
const MAX_QUEUE = 100_000;
const RETRY_MS = 2_000;

/**
 * Collects per-request audit events and sends them in batches, off the
 * request path: a request never waits for the audit log, and one API call
 * (one backend transaction) carries many events. One sender runs at a
 * time and drains the queue; a failed send is retried. Past
 * {@link MAX_QUEUE} pending events (the auth service unreachable for a
 * long time) the oldest are dropped, and the count is logged once per send.
 */
export class AuditBatcher {
  private queue: PendingEvent[] = [];
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private dropped = 0;

  constructor(
    private readonly send: (events: PendingEvent[]) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** Events recorded and not yet accepted by the auth service. */
  get backlog(): number {
    return this.queue.length;
  }

  add(event: string, fields: Record<string, unknown>): void {
    this.queue.push({ event, fields });
    if (this.queue.length > MAX_QUEUE) {
      this.queue.shift();
      this.dropped++;
    }
    if (this.queue.length >= MAX_BATCH) void this.flush();
    else if (!this.timer && !this.draining) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Sends everything queued now (resolves when the queue is empty or a send failed). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      if (this.dropped) {
        this.log.warn('APP', `the audit log was unreachable for too long: dropped ${this.dropped} events`);
        this.dropped = 0;
      }
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.send(batch);
      } catch (err) {
        this.queue.unshift(...batch);
        this.log.warn('APP', `could not send ${batch.length} audit events (will retry): ${(err as Error).message}`);
        this.timer = setTimeout(() => void this.flush(), RETRY_MS);
        this.timer.unref();
        return;
      }
    }
  }
}
