import type { TokenRecord } from '../../shared/api/types.js';

/** A join token as `tctl tokens ls` and `tctl get tokens` print it with `-f json|yaml` (snake_case, as every JSON output). */
export function tokenView(t: TokenRecord): Record<string, unknown> {
  return {
    token: t.token,
    roles: t.roles,
    expires: t.expires,
    ...(t.createdAt ? { created_at: t.createdAt } : {}),
    ...(t.appName ? { app_name: t.appName } : {}),
    ...(t.appUri ? { app_uri: t.appUri } : {}),
  };
}
