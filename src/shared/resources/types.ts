/**
 * The resources administrators write (`tctl create -f`), in the shape of
 * Teleport's role v5 and user v2, after validation.
 */

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

export interface Role {
  kind: 'role';
  version: 'v5' | 'v6' | 'v7';
  metadata: { name: string; description?: string; labels?: Record<string, string> };
  spec: {
    options?: { max_session_ttl?: string };
    allow?: RoleConditions;
    deny?: RoleConditions;
  };
}

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

export type Resource = Role | User;

/** Kinds tctl get/rm accept, with their plural forms. */
export const resourceKinds = ['role', 'user', 'token'] as const;
export type ResourceKind = (typeof resourceKinds)[number];

/** Resources and verbs a role's `rules` can grant. */
export const ruleResources = ['role', 'user', 'token', 'event', 'app', 'app_server', 'cluster', '*'] as const;
export const ruleVerbs = ['list', 'read', 'create', 'update', 'delete', '*'] as const;
