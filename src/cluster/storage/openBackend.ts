/**
 * Picks and opens the cluster's storage backend from the `teleport.storage`
 * config, so the process code never imports a driver it does not use.
 */
import { resolve } from 'node:path';
import { TshError } from '../../shared/errors.js';
import type { Backend } from './backend.js';
import type { PoolSettings } from './postgresBackend.js';
import { metrics } from '../diag/metrics.js';
import type { Logger } from '../logger.js';

export type { PoolSettings };

/**
 * Where cluster state lives. `sqlite` (the default) needs nothing running and
 * keeps a file in the data dir; `postgres` lets several auth/proxy instances
 * share one state.
 */
export interface StorageConfig {
  type: 'sqlite' | 'postgres';
  /** SQLite file; relative paths are taken from the data dir. Default `<dataDir>/cluster.db`. */
  path?: string;
  /** PostgreSQL URL, e.g. postgresql://teleport@db.example.com:5432/teleport. Required for `postgres`. */
  connectionString?: string;
  /** PostgreSQL's connection pool (`pool_max_conns`, `conn_timeout`, `query_timeout`, `idle_timeout`). */
  pool: PoolSettings;
}

/**
 * Opens the configured backend. Each driver is loaded only here, on demand,
 * so the CLI's startup never pays for SQLite or PostgreSQL. `clock` decides
 * expiry (tests move it); `log` hears of a lost database connection.
 */
export async function openBackend(cfg: StorageConfig, dataDir: string, opts: { clock?: () => Date; log?: Logger } = {}): Promise<Backend> {
  return countingErrors(await openDriver(cfg, dataDir, opts));
}

async function openDriver(cfg: StorageConfig, dataDir: string, { clock, log }: { clock?: () => Date; log?: Logger }): Promise<Backend> {
  switch (cfg.type) {
    case 'sqlite': {
      const { openSqliteBackend } = await import('./sqliteBackend.js');
      return openSqliteBackend({ path: resolve(dataDir, cfg.path ?? 'cluster.db'), clock });
    }
    case 'postgres': {
      if (!cfg.connectionString) {
        throw new TshError('CONFIG', 'storage type postgres needs a connection string', {
          hint: 'set teleport.storage.conn_string, e.g. postgresql://teleport@db.example.com:5432/teleport',
        });
      }
      const { openPostgresBackend } = await import('./postgresBackend.js');
      return openPostgresBackend({ connectionString: cfg.connectionString, pool: cfg.pool, clock, log });
    }
    default:
      throw new TshError('CONFIG', `unknown storage type "${String((cfg as { type: unknown }).type)}"`, {
        hint: 'use teleport.storage.type sqlite or postgresql',
      });
  }
}

/**
 * The backend with every failed call counted in tsh_aws_backend_errors_total
 * by operation. A TshError is an answer (the key exists, the revision moved),
 * not a failure, unless it says the storage itself failed.
 */
function countingErrors(backend: Backend): Backend {
  return new Proxy(backend, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      const count = (err: unknown): never => {
        if (!(err instanceof TshError) || err.code === 'INTERNAL' || err.code === 'UNAVAILABLE') metrics.backendError(String(name));
        throw err;
      };
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (err) {
          count(err);
        }
        return result instanceof Promise ? result.catch(count) : result;
      };
    },
  });
}
