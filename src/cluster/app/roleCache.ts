/**
 * The roles the app service checks each request against, by the role names
 * a certificate carries, asked of the cluster (`roles.byName`) and kept:
 *
 *   a role changed anywhere -> the proxies tell every tunnel (/roles) -> those copies go
 *   a tunnel registered     -> every copy goes (changes made while none was up were not told)
 *   a copy older than KEPT_MS -> asked for again (bounds a change that was somehow not told)
 *   the cluster's database unavailable -> the copy held keeps serving, up to KEPT_WHILE_UNAVAILABLE_MS
 *                              after the cluster's last answer (nobody can change roles then)
 */
import { isCode } from '../../shared/errors.js';
import type { Role } from '../../shared/resources/types.js';

/** How long a copy is kept at most. */
const KEPT_MS = 60_000;
/** How long after the cluster's last answer a copy is used while the cluster says its database is unavailable. */
const KEPT_WHILE_UNAVAILABLE_MS = 5 * 60_000;

interface Entry {
  /** When it was last asked for of the cluster. */
  at: number;
  /** When the cluster last answered it. */
  fetchedAt: number;
  roles: Promise<Role[]>;
}

/** See the module comment. */
export class RoleCache {
  private readonly byNames = new Map<string, Entry>();

  constructor(
    private readonly fetch: (names: string[]) => Promise<Role[]>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The roles of these names (the same promise while the copy holds, so callers can key on it). */
  get(names: string[]): Promise<Role[]> {
    const key = names.join(',');
    const hit = this.byNames.get(key);
    const now = this.now();
    if (hit && now - hit.at < KEPT_MS) return hit.roles;
    const entry: Entry = { at: now, fetchedAt: now, roles: Promise.resolve([]) };
    entry.roles = this.fetch(names).catch((err) => {
      if (!hit || !isCode(err, 'UNAVAILABLE') || now - hit.fetchedAt > KEPT_WHILE_UNAVAILABLE_MS) throw err;
      entry.fetchedAt = hit.fetchedAt;
      return hit.roles;
    });
    this.byNames.set(key, entry);
    entry.roles.catch(() => this.byNames.get(key) === entry && this.byNames.delete(key));
    return entry.roles;
  }

  /** These roles changed (undefined: any may have): the copies holding them go. */
  changed(roles: string[] | undefined): void {
    for (const key of [...this.byNames.keys()]) if (!roles || key.split(',').some((n) => roles.includes(n))) this.byNames.delete(key);
  }
}
