import type { CliContext } from '../cliContext.js';
import type { ProfileStatus, StatusReport } from '../../client/status.js';
import { formatDuration } from '../../shared/duration.js';
import { style } from '../style.js';
import { keychainName } from '../../client/keystore/secretStore.js';

/** The text form of `tsh status` (and of `tsh login`'s summary). */
export function renderStatus(ctx: CliContext, report: StatusReport, now = new Date()): string {
  const s = style(ctx);
  const lines: string[] = [];
  const one = (p: ProfileStatus, active: boolean) => {
    const left = Date.parse(p.valid_until) - now.getTime();
    const validity = left > 0 ? s.green(`[valid for ${formatDuration(left)}]`) : s.red('[EXPIRED]');
    const rows: Array<[string, string]> = [
      ['Profile URL:', p.profile_url],
      ['Logged in as:', p.username],
      ['Cluster:', p.cluster],
      ['Roles:', p.roles.join(', ') || '(none)'],
    ];
    if (p.aws_role_arns.length) rows.push(['AWS Role ARNs:', p.aws_role_arns.join(', ')]);
    rows.push(['Valid until:', `${p.valid_until.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')} ${validity}`]);
    rows.push(['Keys stored in:', p.key_store === 'file' ? `0600 files under ${p.key_store_path}` : `OS keychain (${keychainName()})`]);
    if (p.apps.length) rows.push(['Apps:', p.apps.map((a) => `${a.name}${a.aws_role_arn ? ` (${a.aws_role_arn})` : ''}`).join(', ')]);
    rows.forEach(([k, v], i) => lines.push(`${i === 0 && active ? s.bold('> ') : '  '}${k.padEnd(17)} ${i === 0 ? s.bold(v) : v}`));
    lines.push('');
  };
  if (report.active) one(report.active, true);
  if (report.profiles.length) {
    if (report.active) lines.push('Other profiles:');
    for (const p of report.profiles) one(p, false);
  }
  return lines.join('\n');
}
