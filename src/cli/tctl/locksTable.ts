import type { CliContext } from '../cliContext.js';
import type { Lock } from '../../shared/resources/types.js';
import { lockTarget } from '../../shared/resources/lockTarget.js';
import { table } from '../output.js';

/** Locks as `tctl locks ls` and `tctl get locks --format text` print them (Teleport's columns). */
export function locksTable(ctx: CliContext, locks: Lock[]): string {
  if (locks.length === 0) return 'No locks are in force.\n';
  const when = (iso?: string) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : 'never');
  return table(ctx, ['ID', 'Target', 'Message', 'Expires'], locks.map((l) => [l.metadata.name, lockTarget(l), l.spec.message ?? '', when(l.spec.expires)]));
}
