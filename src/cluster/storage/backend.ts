/**
 * The one storage interface of the cluster, shaped like Teleport's backend:
 * string keys (paths such as `/users/alice`), JSON values, a revision per
 * write, optional expiry, and range reads by key prefix.
 *
 * Users, roles, tokens, app sessions, certificate authorities, app servers
 * and audit events all live behind it. Two implementations share the same
 * SQL shape: SQLite in the data dir (the default, nothing to run) and
 * PostgreSQL (several auth/proxy instances sharing one cluster state).
 */

/** One stored value. */
export interface Item<T = unknown> {
  key: string;
  value: T;
  /** Increases on every write anywhere in the backend; lets callers compare-and-swap. */
  revision: number;
  /** When set, the item disappears from every read after this instant. */
  expires?: Date;
}

/** Options for a write: an optional expiry, for short-lived records such as join tokens and app sessions. */
export interface PutOptions {
  /** When set, the item disappears from every read after this instant. */
  expires?: Date;
}

/** One step of {@link Backend.batch}. */
export type BatchOp =
  | { op: 'put'; key: string; value: unknown; expires?: Date }
  | { op: 'create'; key: string; value: unknown; expires?: Date }
  | { op: 'delete'; key: string };

/** A committed write, as the change feed tells it. */
export interface Change {
  op: 'put' | 'delete';
  key: string;
  revision: number;
}

/** Whoever keeps something from the backend in memory, told when it changes (see {@link Backend.watch}). */
export interface Watcher {
  /** Changes under the watched prefixes, oldest first, each committed change once, from every process sharing the storage. */
  changes(changes: Change[]): void;
  /** Changes may have been missed (the feed was away longer than their history is kept): reload whatever is kept. */
  reset(): void;
}

/**
 * Keys under this prefix (audit events, the bulk of all writes) are not in
 * the change feed: nobody keeps them in memory, and leaving them out keeps
 * them off the feed's ordered path.
 */
export const UNWATCHED_PREFIX = '/events/';

/** The storage contract (see the module comment) that the SQLite and PostgreSQL backends both implement, so cluster code never knows which one it has. */
export interface Backend {
  /** The item at key, or undefined when absent or expired. */
  get<T = unknown>(key: string): Promise<Item<T> | undefined>;
  /** Writes key whether or not it exists. */
  put<T = unknown>(key: string, value: T, opts?: PutOptions): Promise<Item<T>>;
  /** Writes key only when absent (or expired); else throws TshError ALREADY_EXISTS. */
  create<T = unknown>(key: string, value: T, opts?: PutOptions): Promise<Item<T>>;
  /** Writes key only when it exists; else throws TshError NOT_FOUND. */
  update<T = unknown>(key: string, value: T, opts?: PutOptions): Promise<Item<T>>;
  /**
   * Writes key only when its current revision is `revision`; else throws
   * TshError ALREADY_EXISTS (someone else wrote first) or NOT_FOUND.
   */
  compareAndSwap<T = unknown>(key: string, revision: number, value: T, opts?: PutOptions): Promise<Item<T>>;
  /**
   * Adds one to the counter at key and returns it, atomically: parallel
   * callers, in this process or in another sharing the storage, each get a
   * count of their own (N calls count N). An absent or expired counter starts
   * at 1 and takes `expires`; a live one keeps the expiry it has.
   */
  increment(key: string, opts: { expires: Date }): Promise<Item<number>>;
  /** Removes key; true when something was removed. */
  delete(key: string): Promise<boolean>;
  /** Items whose key starts with prefix, sorted by key, expired ones left out. */
  getRange<T = unknown>(prefix: string, opts?: { limit?: number }): Promise<Item<T>[]>;
  /** Removes every key starting with prefix; returns how many. */
  deleteRange(prefix: string): Promise<number>;
  /** Applies all ops or none (a failed create rolls back the rest). */
  batch(ops: BatchOp[]): Promise<void>;
  /** Deletes expired rows (and change history older than the feed keeps); called on a timer by the auth service. */
  sweepExpired(): Promise<number>;
  /**
   * Subscribes to committed changes of keys under any of `prefixes`, made by
   * this process or any other sharing the storage, within about a second
   * (see changeFeed.ts); returns the unsubscribe function.
   */
  watch(prefixes: string[], watcher: Watcher): () => void;
  close(): Promise<void>;
}
