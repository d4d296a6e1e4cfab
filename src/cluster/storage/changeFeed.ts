/**
 * The change feed both backends share: every write (but audit events)
 * leaves a row `(revision, key, op)` in a `kv_events` table in the same
 * transaction, and revisions follow commit order (SQLite: one writer at a
 * time; PostgreSQL: writers take one advisory lock before drawing a
 * revision). So "everything after revision N" is an exact question, and one
 * read answers it whether the feed was told of a write at once or comes
 * back after an outage:
 *
 *   write (any process) --commit--> kv_events (revision, key, op)
 *        |                             ^
 *        +-- poke: this process's own  |  readSince(last): changes after `last`, oldest first,
 *            writes; PostgreSQL NOTIFY |  and the revision history was pruned through
 *            (LISTEN); a poll timer ---+
 *   -> watchers whose prefixes match: changes(...)     history pruned past `last` -> reset()
 *
 * Reads never overlap: a poke during a read makes one more read after it.
 */
import type { Change, Watcher } from './backend.js';

/** What a backend gives the feed. */
export interface FeedSource {
  /** Changes after `revision`, oldest first, at most `limit`, and the revision the history was pruned through. */
  readSince(revision: number, limit: number): Promise<{ changes: Change[]; prunedThrough: number }> | { changes: Change[]; prunedThrough: number };
  /** The newest committed revision (where a new feed starts). */
  head(): Promise<number> | number;
}

/** Changes read at a time. */
const PAGE = 1_000;

/** See the module comment; `start` reads where history ends now, `poke` asks for a read. */
export class ChangeFeed {
  private last = 0;
  private started = false;
  private reading = false;
  private again = false;
  private readonly watchers = new Set<{ prefixes: string[]; watcher: Watcher }>();

  constructor(
    private readonly source: FeedSource,
    /** Told when a read fails (the storage is unreachable); the next poke tries again. */
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async start(): Promise<void> {
    this.last = await this.source.head();
    this.started = true;
  }

  watch(prefixes: string[], watcher: Watcher): () => void {
    const entry = { prefixes, watcher };
    this.watchers.add(entry);
    return () => this.watchers.delete(entry);
  }

  /** Reads what was committed since the last read, now or right after the read under way. */
  poke(): void {
    if (!this.started) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    void this.readAll().finally(() => {
      this.reading = false;
      if (this.again) {
        this.again = false;
        this.poke();
      }
    });
  }

  private async readAll(): Promise<void> {
    try {
      for (;;) {
        const { changes, prunedThrough } = await this.source.readSince(this.last, PAGE);
        if (prunedThrough > this.last) {
          // History this feed never read is gone: start again after it, and tell everyone to reload.
          this.last = Math.max(prunedThrough, changes.at(-1)?.revision ?? 0);
          for (const { watcher } of this.watchers) guard(() => watcher.reset());
          return;
        }
        if (changes.length === 0) return;
        this.last = changes[changes.length - 1].revision;
        this.deliver(changes);
        if (changes.length < PAGE) return;
      }
    } catch (err) {
      this.onError(err);
    }
  }

  private deliver(changes: Change[]): void {
    for (const { prefixes, watcher } of this.watchers) {
      const mine = changes.filter((c) => prefixes.some((p) => c.key.startsWith(p)));
      if (mine.length) guard(() => watcher.changes(mine));
    }
  }
}

/** A watcher that throws must not stop the others from hearing. */
function guard(fn: () => void): void {
  try {
    fn();
  } catch {
    /* the watcher's own problem */
  }
}
