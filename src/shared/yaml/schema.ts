import { TshError } from '../errors.js';
import type { YamlDocument } from './readYamlDocuments.js';

/**
 * A small declarative schema for the YAML we accept (teleport.yaml, roles,
 * users). It exists so that every unknown or misspelt key is an error that
 * names the key, its line and the closest known key, and so that booleans
 * written the way YAML users write them (yes/no/on/off/true/false) all read
 * as booleans.
 */
export type Schema =
  | { type: 'string'; pattern?: RegExp; hint?: string }
  | { type: 'bool' }
  | { type: 'int' }
  | { type: 'enum'; values: string[] }
  | { type: 'list'; of: Schema; orSingle?: boolean }
  | { type: 'map'; fields: Record<string, Schema>; required?: string[] }
  /** Keys chosen by the user (labels, traits): any string key, values by schema. */
  | { type: 'dict'; of: Schema }
  | { type: 'any' };

/** Where a value came from, for error messages. */
export interface Origin {
  file: string;
  doc?: YamlDocument;
  /** Prefix naming the document, e.g. `document 2 (role "x")`. */
  label?: string;
  code?: 'BAD_INPUT' | 'CONFIG';
}

const booleans: Record<string, boolean> = { yes: true, no: false, on: true, off: false, true: true, false: false, y: true, n: false };

/** Validates value against schema and returns it normalised (booleans coerced, single values listed). */
export function validate(value: unknown, schema: Schema, origin: Origin, path: Array<string | number> = []): unknown {
  const fail = (message: string, hint?: string, at = path): never => {
    const line = origin.doc?.lineOf(at);
    const where = `${origin.file}${line ? `:${line}` : ''}`;
    const label = origin.label ? `${origin.label}: ` : '';
    throw new TshError(origin.code ?? 'BAD_INPUT', `${where}: ${label}${message}`, { hint });
  };
  const field = path.length ? `"${path.join('.')}"` : 'the document';
  switch (schema.type) {
    case 'any':
      return value;
    case 'string':
      if (typeof value === 'number') value = String(value);
      if (typeof value !== 'string') return fail(`${field} must be a string`);
      if (schema.pattern && !schema.pattern.test(value)) return fail(`${field} has an invalid value "${value}"`, schema.hint);
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail(`${field} must be a whole number`);
      return value;
    case 'bool': {
      if (typeof value === 'boolean') return value;
      const b = typeof value === 'string' ? booleans[value.toLowerCase()] : undefined;
      if (b === undefined) return fail(`${field} must be a boolean (yes/no, on/off, true/false), not "${String(value)}"`);
      return b;
    }
    case 'enum': {
      // YAML 1.2 reads `off` as a string but older configs may hold a boolean.
      const v = typeof value === 'boolean' ? (value ? 'on' : 'off') : value;
      if (typeof v !== 'string' || !schema.values.includes(v)) return fail(`${field} must be one of ${schema.values.join(', ')}, not "${String(value)}"`);
      return v;
    }
    case 'list': {
      if (value === null || value === undefined) return [];
      if (!Array.isArray(value)) {
        if (schema.orSingle) return [validate(value, schema.of, origin, path)];
        return fail(`${field} must be a list`);
      }
      return value.map((item, i) => validate(item, schema.of, origin, [...path, i]));
    }
    case 'dict': {
      if (value === null || value === undefined) return {};
      if (typeof value !== 'object' || Array.isArray(value)) return fail(`${field} must be a mapping`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        // Assigning it would replace the object's prototype rather than add a key.
        if (k === '__proto__') fail(`"__proto__" cannot be a key${path.length ? ` in "${path.join('.')}"` : ''}`, undefined, [...path, k]);
        out[k] = validate(v, schema.of, origin, [...path, k]);
      }
      return out;
    }
    case 'map': {
      if (value === null || value === undefined) value = {};
      if (typeof value !== 'object' || Array.isArray(value)) return fail(`${field} must be a mapping`);
      const out: Record<string, unknown> = {};
      const known = Object.keys(schema.fields);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        // Own fields only: "constructor" or "toString" must not find Object.prototype's.
        const sub = Object.hasOwn(schema.fields, k) ? schema.fields[k] : undefined;
        if (!sub) {
          const near = closest(k, known);
          const where = path.length ? ` in "${path.join('.')}"` : '';
          return fail(`unknown key "${k}"${where}`, near ? `did you mean "${near}"?` : `known keys here: ${known.join(', ')}`, [...path, k]);
        }
        out[k] = validate(v, sub, origin, [...path, k]);
      }
      for (const r of schema.required ?? []) {
        if (out[r] === undefined || out[r] === '') fail(`"${[...path, r].join('.')}" is required`);
      }
      return out;
    }
  }
}

/** The known word nearest to a misspelling (edit distance <= 3), if any. */
export function closest(word: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const k of known) {
    const dist = editDistance(word.toLowerCase(), k.toLowerCase());
    if (dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
