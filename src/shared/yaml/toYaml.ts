import { stringify } from 'yaml';

/**
 * Values as YAML, for `-f yaml` output. Callers import this module lazily,
 * so the YAML library is only loaded by commands that print YAML.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}
