import { TshError } from '../errors.js';

/** A `{{namespace.name}}` reference inside a value. */
const templatePattern = /\{\{\s*([^}]*?)\s*\}\}/g;
const referencePattern = /^(internal|external)\.([A-Za-z0-9_.:/-]+)$|^(internal|external)\["([^"]+)"\]$/;

/**
 * The trait references in a value, e.g. `arn:...:role/{{internal.team}}-reader`
 * gives [{ namespace: 'internal', name: 'team' }]. An unknown namespace or a
 * malformed reference throws BAD_INPUT so `tctl create` can name the field.
 */
export function templateReferences(value: string): Array<{ namespace: 'internal' | 'external'; name: string }> {
  const refs: Array<{ namespace: 'internal' | 'external'; name: string }> = [];
  for (const m of value.matchAll(templatePattern)) {
    const r = referencePattern.exec(m[1]);
    if (!r) {
      const ns = m[1].split(/[.[]/)[0];
      throw new TshError('BAD_INPUT', ns === 'internal' || ns === 'external'
        ? `malformed template "{{${m[1]}}}"`
        : `unknown template namespace "${ns}" in "{{${m[1]}}}"`, { hint: 'use {{internal.NAME}} or {{external.NAME}}' });
    }
    refs.push({ namespace: (r[1] ?? r[3]) as 'internal' | 'external', name: r[2] ?? r[4] });
  }
  if (value.replace(templatePattern, '').includes('{{')) throw new TshError('BAD_INPUT', `unterminated template in "${value}"`);
  return refs;
}

/**
 * Expands the templates of one value against a user's traits. A trait with
 * several values gives several results (the cross product when a value holds
 * two templates); a missing or empty trait drops the value entirely, as in
 * Teleport. Both namespaces read the user's traits: local users keep their
 * traits as `internal`, and SSO users' claims arrive as the same map.
 */
export function expandTemplate(value: string, traits: Record<string, string[]>): string[] {
  const refs = templateReferences(value);
  if (refs.length === 0) return [value];
  let results = [''];
  let last = 0;
  for (const m of value.matchAll(templatePattern)) {
    const ref = refs.shift()!;
    const literal = value.slice(last, m.index);
    // Own traits only: {{internal.constructor}} must not find Object.prototype's.
    const own = Object.hasOwn(traits, ref.name) ? traits[ref.name] : undefined;
    const values = Array.isArray(own) ? own : [];
    if (values.length === 0) return [];
    results = results.flatMap((prefix) => values.map((v) => prefix + literal + v));
    last = (m.index ?? 0) + m[0].length;
  }
  const tail = value.slice(last);
  return [...new Set(results.map((r) => r + tail))];
}

/** Expands every value of a list and removes duplicates, keeping order. */
export function expandTemplates(values: string[] | undefined, traits: Record<string, string[]>): string[] {
  return [...new Set((values ?? []).flatMap((v) => expandTemplate(v, traits)))];
}
