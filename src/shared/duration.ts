import { TshError } from './errors.js';

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a Go-style duration ("30m", "1h30m", "12h", "90s", "2d") into
 * milliseconds, the form Teleport users write in roles and flags.
 */
export function parseDuration(text: string, what = 'duration'): number {
  const s = String(text).trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * units[m[2]];
    matched = re.lastIndex;
  }
  if (!s || matched !== s.length) {
    throw new TshError('BAD_INPUT', `invalid ${what} "${text}"`, { hint: 'write it like 30m, 1h, 1h30m or 12h' });
  }
  return total;
}

/** Milliseconds as a short human duration: "12h", "1h30m", "45m", "20s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  let rest = Math.round(ms / 1000);
  const d = Math.floor(rest / 86400);
  rest -= d * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`, s && !d && !h && `${s}s`].filter(Boolean);
  return parts.join('') || '0s';
}
