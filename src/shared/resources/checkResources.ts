import { TshError } from '../errors.js';
import { validate, type Origin, type Schema } from '../yaml/schema.js';
import { readYamlDocuments, type YamlDocument } from '../yaml/readYamlDocuments.js';
import { parseDuration } from '../duration.js';
import { parseRoleArn } from '../aws/roleArn.js';
import { templateReferences } from './templates.js';
import { NAME_PATTERN, ruleResources, ruleVerbs, type Lock, type Resource, type Role, type User } from './types.js';

const name: Schema = { type: 'string', pattern: NAME_PATTERN, hint: 'names use letters, digits and @ _ . + -' };
const str: Schema = { type: 'string' };
const labels: Schema = { type: 'dict', of: { type: 'list', of: str, orSingle: true } };
const metadata: Schema = {
  type: 'map',
  required: ['name'],
  fields: { name, description: str, labels: { type: 'dict', of: str }, namespace: str, revision: str, expires: str },
};
const conditions: Schema = {
  type: 'map',
  fields: {
    app_labels: labels,
    aws_role_arns: { type: 'list', of: str, orSingle: true },
    rules: {
      type: 'list',
      of: {
        type: 'map',
        required: ['resources', 'verbs'],
        fields: {
          resources: { type: 'list', of: { type: 'enum', values: [...ruleResources] }, orSingle: true },
          verbs: { type: 'list', of: { type: 'enum', values: [...ruleVerbs] }, orSingle: true },
        },
      },
    },
  },
};

/** role v5 (v6 and v7 read the same for the fields we use). */
export const roleSchema: Schema = {
  type: 'map',
  required: ['kind', 'version', 'metadata'],
  fields: {
    kind: str,
    version: { type: 'enum', values: ['v5', 'v6', 'v7'] },
    metadata,
    spec: {
      type: 'map',
      fields: {
        options: { type: 'map', fields: { max_session_ttl: str } },
        allow: conditions,
        deny: conditions,
      },
    },
  },
};

/** user v2. */
export const userSchema: Schema = {
  type: 'map',
  required: ['kind', 'version', 'metadata'],
  fields: {
    kind: str,
    version: { type: 'enum', values: ['v2'] },
    metadata,
    spec: {
      type: 'map',
      fields: {
        roles: { type: 'list', of: name, orSingle: true },
        traits: { type: 'dict', of: { type: 'list', of: str, orSingle: true } },
      },
    },
  },
};

/** lock v2 (the cluster checks the target, the expiry and fills created_by/created_at). */
export const lockSchema: Schema = {
  type: 'map',
  required: ['kind', 'version', 'metadata', 'spec'],
  fields: {
    kind: str,
    version: { type: 'enum', values: ['v2'] },
    metadata,
    spec: {
      type: 'map',
      required: ['target'],
      fields: { target: { type: 'map', fields: { user: name, role: name } }, message: str, expires: str, created_by: str, created_at: str },
    },
  },
};

/** The outcome of checking resources: the normalised documents and warnings that did not stop them. */
export interface CheckedResources {
  resources: Resource[];
  warnings: string[];
}

/** One document to check, with where it came from. */
export interface ResourceInput {
  value: unknown;
  origin: Origin;
}

/**
 * Checks documents as `tctl create` receives them: known kind and version,
 * no unknown fields, valid names, durations, ARNs and templates. Throws
 * BAD_INPUT naming the document and field at the first problem, so a file
 * is written whole or not at all. Trait values that are not valid IAM role
 * ARNs (the guide's own `arn:aws:iam:1234...` typo) are kept, with a
 * warning naming them.
 */
export function checkResources(inputs: ResourceInput[]): CheckedResources {
  const resources: Resource[] = [];
  const warnings: string[] = [];
  inputs.forEach(({ value, origin }) => {
    const raw = value as Record<string, unknown> | null;
    const kind = raw && typeof raw === 'object' ? raw.kind : undefined;
    const docName = (raw as any)?.metadata?.name;
    const label = `${origin.label ?? 'document'}${typeof kind === 'string' ? ` (${kind}${docName ? ` "${docName}"` : ''})` : ''}`;
    const o: Origin = { ...origin, label };
    const fail = (message: string, path: Array<string | number>, hint?: string): never => {
      const line = origin.doc?.lineOf(path);
      throw new TshError('BAD_INPUT', `${origin.file}${line ? `:${line}` : ''}: ${label}: ${message}`, { hint });
    };
    if (kind === 'role') {
      const role = validate(raw, roleSchema, o) as Role;
      role.spec ??= {};
      const ttl = role.spec.options?.max_session_ttl;
      if (ttl !== undefined) {
        try {
          if (parseDuration(ttl, 'max_session_ttl') <= 0) throw new TshError('BAD_INPUT', 'max_session_ttl must be positive');
        } catch (e) {
          fail((e as Error).message, ['spec', 'options', 'max_session_ttl'], (e as TshError).hint);
        }
      }
      for (const side of ['allow', 'deny'] as const) {
        (role.spec[side]?.aws_role_arns ?? []).forEach((arn, i) => {
          const path = ['spec', side, 'aws_role_arns', i];
          let refs;
          try {
            refs = templateReferences(arn);
          } catch (e) {
            return fail(`field "${path.join('.')}": ${(e as Error).message}`, path, (e as TshError).hint);
          }
          if (refs.length === 0 && !parseRoleArn(arn)) {
            fail(`field "${path.join('.')}": "${arn}" is not a valid IAM role ARN`, path, 'write it as arn:aws:iam::123456789012:role/NAME (two colons after iam)');
          }
        });
      }
      resources.push(role);
    } else if (kind === 'user') {
      const user = validate(raw, userSchema, o) as User;
      user.spec ??= { roles: [] };
      user.spec.roles ??= [];
      for (const arn of user.spec.traits?.aws_role_arns ?? []) {
        if (!parseRoleArn(arn)) {
          warnings.push(`${label}: trait aws_role_arns value "${arn}" is not a valid IAM role ARN (expected arn:aws:iam::ACCOUNT:role/NAME); it will match nothing until fixed`);
        }
      }
      resources.push(user);
    } else if (kind === 'lock') {
      const lock = validate(raw, lockSchema, o) as Lock;
      const targets = Object.keys(lock.spec.target ?? {}).length;
      if (targets !== 1) fail(`"spec.target" needs exactly one of user and role`, ['spec', 'target'], 'write target: {user: NAME} or target: {role: NAME}');
      resources.push(lock);
    } else if (kind === undefined) {
      fail('missing "kind"', ['kind'], 'start the document with "kind: role", "kind: user" or "kind: lock"');
    } else {
      fail(`unknown kind "${String(kind)}"`, ['kind'], 'tctl create accepts kind: role (version v5), kind: user (version v2) and kind: lock (version v2)');
    }
  });
  const seen = new Set<string>();
  for (const r of resources) {
    const key = `${r.kind}/${r.metadata.name}`;
    if (seen.has(key)) throw new TshError('BAD_INPUT', `${inputs[0]?.origin.file ?? 'input'}: ${r.kind} "${r.metadata.name}" appears twice`);
    seen.add(key);
  }
  return { resources, warnings };
}

/**
 * The largest resource file `tctl create` reads: thousands of users or roles,
 * yet small enough that a file sent by mistake (a log, a disk image) is
 * refused before any of it is parsed, and below the cluster API's body limit.
 */
export const MAX_RESOURCE_FILE_BYTES = 4 << 20;

/** Reads and checks a YAML file of resources (what `tctl create` does before sending anything). */
export function parseResourceFile(text: string, file: string): CheckedResources & { docs: YamlDocument[] } {
  const docs = readYamlDocuments(text, file);
  if (docs.length === 0) throw new TshError('BAD_INPUT', `${file}: no YAML documents found`);
  const checked = checkResources(docs.map((doc) => ({ value: doc.value, origin: { file, doc, label: `document ${doc.index}` } })));
  return { ...checked, docs };
}
