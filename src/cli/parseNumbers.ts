/**
 * Parsers for numeric flags. commander calls them with the raw text; a value
 * that is not a number becomes a usage error that names the flag and what it
 * takes (`option '-p, --port <port>' argument 'notaport' is invalid. ...`,
 * exit code 2), instead of NaN reaching the code that uses it.
 */
import { InvalidArgumentError } from 'commander';

/** A TCP port: a whole number from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const n = /^\d{1,5}$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 65535)) throw new InvalidArgumentError('The port must be a whole number from 0 to 65535.');
  return n;
}

/** A duration in minutes, greater than 0 (fractions allowed: 0.5 is 30 seconds). */
export function parseMinutes(value: string): number {
  const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n > 0)) throw new InvalidArgumentError('It must be a number of minutes greater than 0, e.g. 60.');
  return n;
}

/** A count: a whole number greater than 0. */
export function parseCount(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n > 0)) throw new InvalidArgumentError('It must be a whole number greater than 0.');
  return n;
}
