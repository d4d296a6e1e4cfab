import type { Role } from '../../shared/resources/types.js';

/**
 * The roles every cluster starts with. `access` reaches every app with the
 * IAM roles in the user's `aws_role_arns` trait; `editor` manages roles,
 * users, tokens and locks; `auditor` reads the audit log. Administrators may edit
 * them like any other role; they are only created when missing.
 */
export const builtinRoles: Role[] = [
  {
    kind: 'role',
    version: 'v5',
    metadata: { name: 'access', description: 'Access to every app, with the IAM roles in the user\'s aws_role_arns trait' },
    spec: {
      allow: {
        app_labels: { '*': '*' },
        aws_role_arns: ['{{internal.aws_role_arns}}'],
        rules: [{ resources: ['app', 'app_server'], verbs: ['list', 'read'] }],
      },
    },
  },
  {
    kind: 'role',
    version: 'v5',
    metadata: { name: 'editor', description: 'Manages roles, users, join tokens and locks' },
    spec: {
      allow: {
        rules: [
          { resources: ['role', 'user', 'token', 'lock'], verbs: ['list', 'read', 'create', 'update', 'delete'] },
          { resources: ['app', 'app_server', 'cluster'], verbs: ['list', 'read'] },
          { resources: ['event'], verbs: ['list', 'read'] },
        ],
      },
    },
  },
  {
    kind: 'role',
    version: 'v5',
    metadata: { name: 'auditor', description: 'Reads the audit log' },
    spec: {
      allow: {
        rules: [{ resources: ['event'], verbs: ['list', 'read'] }, { resources: ['cluster'], verbs: ['read'] }],
      },
    },
  },
];
