/**
 * RBAC: what a set of roles, with one user's traits, allows.
 *
 * Deny always wins. An app is reachable when no role's deny `app_labels`
 * match it and some role's allow `app_labels` do; an IAM role ARN is usable
 * on an app when some role matching the app allows it (templates expanded)
 * and no role denies it. Rules (`resources` x `verbs`) gate the cluster API.
 */
import { parseDuration } from '../../shared/duration.js';
import { expandTemplates } from '../../shared/resources/templates.js';
import type { Labels, Role, RoleConditions } from '../../shared/resources/types.js';

/** Teleport's default for roles that set no max_session_ttl. */
export const DEFAULT_MAX_SESSION_TTL_MS = 30 * 3_600_000;

/** What RBAC needs to know of an app. */
export interface AppForAccess {
  name: string;
  labels: Record<string, string>;
}

/**
 * Answers the access questions for one caller: the auth service builds one at
 * login and per API request, and the app service per AWS request, from the
 * caller's roles and traits.
 */
export class AccessChecker {
  /** Usable ARNs per app object: roles and traits never change in a checker, and the app service asks on every request. */
  private readonly arnsByApp = new WeakMap<AppForAccess, Set<string>>();

  constructor(
    readonly roles: Role[],
    readonly traits: Record<string, string[]>,
  ) {}

  /** The shortest max_session_ttl among the roles: no certificate outlives it. */
  maxSessionTtlMs(): number {
    let min = Infinity;
    for (const r of this.roles) {
      const t = r.spec.options?.max_session_ttl;
      if (t) min = Math.min(min, parseDuration(t));
    }
    return min === Infinity ? DEFAULT_MAX_SESSION_TTL_MS : min;
  }

  /** Every IAM role ARN any role allows (expanded), minus every denied one: what login certificates carry. */
  awsRoleArns(): string[] {
    const denied = new Set(this.roles.flatMap((r) => this.arns(r.spec.deny)));
    return [...new Set(this.roles.flatMap((r) => this.arns(r.spec.allow)))].filter((a) => !denied.has(a)).sort();
  }

  /** True when the roles let the user see and use the app at all. */
  canAccessApp(app: AppForAccess): boolean {
    if (this.roles.some((r) => matchLabels(r.spec.deny?.app_labels, app.labels))) return false;
    return this.roles.some((r) => matchLabels(r.spec.allow?.app_labels, app.labels));
  }

  /** The IAM role ARNs usable on this app: from roles whose app_labels match it, minus denied ARNs. */
  awsRoleArnsForApp(app: AppForAccess): string[] {
    if (!this.canAccessApp(app)) return [];
    const denied = new Set(this.roles.flatMap((r) => this.arns(r.spec.deny)));
    const allowed = this.roles.filter((r) => matchLabels(r.spec.allow?.app_labels, app.labels)).flatMap((r) => this.arns(r.spec.allow));
    return [...new Set(allowed)].filter((a) => !denied.has(a)).sort();
  }

  /** True when the user may use `arn` on `app` (exact string match, as AWS compares ARNs). */
  canUseAwsRole(app: AppForAccess, arn: string): boolean {
    let usable = this.arnsByApp.get(app);
    if (!usable) {
      usable = new Set(this.awsRoleArnsForApp(app));
      this.arnsByApp.set(app, usable);
    }
    return usable.has(arn);
  }

  /** True when some role's rules grant `verb` on `resource` and none deny it. */
  can(resource: string, verb: string): boolean {
    const hit = (c?: RoleConditions) =>
      (c?.rules ?? []).some((rule) => (rule.resources.includes(resource) || rule.resources.includes('*')) && (rule.verbs.includes(verb) || rule.verbs.includes('*')));
    if (this.roles.some((r) => hit(r.spec.deny))) return false;
    return this.roles.some((r) => hit(r.spec.allow));
  }

  private arns(c?: RoleConditions): string[] {
    return expandTemplates(c?.aws_role_arns, this.traits);
  }
}

/**
 * Label selector matching as in Teleport: an empty selector matches nothing;
 * `'*': '*'` matches every app, labelled or not; `key: '*'` needs the key;
 * other values are globs (`*`) or, between ^ and $, regular expressions.
 * Every key of the selector must match.
 */
export function matchLabels(selector: Labels | undefined, labels: Record<string, string>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  for (const [key, want] of Object.entries(selector)) {
    const values = Array.isArray(want) ? want : [want];
    if (key === '*') {
      if (values.includes('*')) continue;
      return false;
    }
    const have = labels[key];
    if (have === undefined) return false;
    if (!values.some((v) => matchValue(v, have))) return false;
  }
  return true;
}

function matchValue(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('^') && pattern.endsWith('$')) {
    try {
      return new RegExp(pattern).test(value);
    } catch {
      return false;
    }
  }
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}
