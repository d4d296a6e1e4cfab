/**
 * Picks and opens the cluster's storage backend from the `teleport.storage`
 * config, so the process code never imports a driver it does not use.
 */
import { resolve } from 'node:path';
import { TshError } from '../../shared/errors.js';
import type { Backend } from './backend.js';

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
}

/**
 * Opens the configured backend. Each driver is loaded only here, on demand,
 * so the CLI's startup never pays for SQLite or PostgreSQL. `clock` decides
 * expiry (tests move it).
 */
export async function openBackend(cfg: StorageConfig, dataDir: string, clock?: () => Date): Promise<Backend> {
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
      return openPostgresBackend({ connectionString: cfg.connectionString, clock });
    }
    default:
      throw new TshError('CONFIG', `unknown storage type "${String((cfg as { type: unknown }).type)}"`, {
        hint: 'use teleport.storage.type sqlite or postgresql',
      });
  }
}
