/** A join token as the cluster API returns it. */
export interface TokenRecord {
  token: string;
  roles: string[];
  expires: string;
  createdAt?: string;
  appName?: string;
  appUri?: string;
}

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
