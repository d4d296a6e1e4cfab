/**
 * The resources administrators write (`tctl create -f`), in the shape of
 * Teleport's role v5, user v2 and lock v2, after validation.
 */

/** What user, role and lock names may hold (Teleport's resource names). */
export const NAME_PATTERN = /^[A-Za-z0-9@_.+-]{1,128}$/;

/** Label selector: key -> value or list of values; `'*': '*'` matches every app. */
export type Labels = Record<string, string | string[]>;

/** What a role allows (or denies). */
export interface RoleConditions {
  app_labels?: Labels;
  /** IAM role ARNs; entries may hold templates such as `{{internal.aws_role_arns}}`. */
  aws_role_arns?: string[];
  /** Verbs on cluster resources (role, user, token, event, app, cluster). */
  rules?: Array<{ resources: string[]; verbs: string[] }>;
}

/** A role as `tctl create` stores it: which apps and IAM roles its holders may use, and what it denies. */
export interface Role {
  kind: 'role';
  /** v6 and v7 are accepted and read the same as v5 for the fields used here. */
  version: 'v5' | 'v6' | 'v7';
  metadata: { name: string; description?: string; labels?: Record<string, string> };
  spec: {
    /** `max_session_ttl` (a duration such as `8h`) caps how long certificates issued under this role live. */
    options?: { max_session_ttl?: string };
    allow?: RoleConditions;
    deny?: RoleConditions;
  };
}

/** A cluster user as `tctl create` stores it: the roles they hold and the traits role templates read. */
export interface User {
  kind: 'user';
  version: 'v2';
  metadata: { name: string; description?: string; labels?: Record<string, string> };
  spec: {
    roles: string[];
    /** `internal.NAME` templates read these. */
    traits?: Record<string, string[]>;
  };
}

/**
 * A lock (Teleport's lock v2): while in force, its target can neither log in
 * nor call the cluster API nor reach an app, and live app connections are
 * closed. `tctl lock` makes one; `tctl rm lock/ID` lifts it.
 */
export interface Lock {
  kind: 'lock';
  version: 'v2';
  /** The name is the lock's id (a UUID when `tctl lock` makes it). */
  metadata: { name: string; description?: string; labels?: Record<string, string> };
  spec: {
    /** Exactly one of them. */
    target: { user?: string; role?: string };
    /** Shown to whoever the lock stops. */
    message?: string;
    /** RFC 3339; absent, the lock holds until it is removed. */
    expires?: string;
    created_by?: string;
    created_at?: string;
  };
}

/** Any document `tctl create -f` accepts, after validation. */
export type Resource = Role | User | Lock;

/** Kinds tctl get/rm accept, with their plural forms. */
export const resourceKinds = ['role', 'user', 'token', 'lock'] as const;
/** One of the kind names in {@link resourceKinds}. */
export type ResourceKind = (typeof resourceKinds)[number];

/** Resources and verbs a role's `rules` can grant. */
export const ruleResources = ['role', 'user', 'token', 'lock', 'event', 'app', 'app_server', 'cluster', '*'] as const;
/** Verbs a role rule may grant on those resources; `*` grants all of them. */
export const ruleVerbs = ['list', 'read', 'create', 'update', 'delete', '*'] as const;
