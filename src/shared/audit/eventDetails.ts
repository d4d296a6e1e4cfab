/**
 * What an audit event says, in words: the one-line summary `tctl audit
 * events` prints, and the columns the web UI's Audit page shows for
 * per-request AWS events. Both read events through here, so they agree.
 */
import type { AuditEventRecord } from '../api/types.js';

/** A per-request AWS event (`app.session.request`, `app.session.dynamodb.request`), as columns. */
export interface AwsRequestDetails {
  service: string;
  /** X-Amz-Target (`DynamoDB_20120810.ListTables`), or the method and path when the request has none. */
  action: string;
  status: string;
  /** The assumed-role session the request ran as (or the IAM role ARN when that is unknown). */
  assumedRole: string;
}

/** The columns of a per-request AWS event, or undefined for any other event. */
export function awsRequestDetails(e: AuditEventRecord): AwsRequestDetails | undefined {
  const f = e as Record<string, any>;
  if (!e.event.startsWith('app.session.') || !f.aws_service) return undefined;
  return {
    service: String(f.aws_service),
    action: f.target ? String(f.target) : `${f.method} ${f.path}`,
    status: String(f.status_code ?? ''),
    assumedRole: String(f.aws_assumed_role ?? f.aws_role_arn ?? ''),
  };
}

/** One line about an event (after its time, name and user). */
export function eventDetails(e: AuditEventRecord): string {
  const f = e as Record<string, any>;
  if (awsRequestDetails(e)) {
    return `${f.aws_service} ${f.target ? f.target.split('.').pop() + ' ' : ''}${f.method} ${f.path} -> ${f.status_code} as ${f.aws_assumed_role ?? f.aws_role_arn}`;
  }
  switch (e.event) {
    case 'app.session.start':
      return `app ${f.app_name} role ${f.aws_role_arn}${f.via ? ` via ${f.via}` : ''}`;
    case 'app.session.end':
      return `app ${f.app_name} role ${f.aws_role_arn}`;
    case 'aws.console.login':
      return `AWS console for app ${f.app_name} as ${f.aws_assumed_role ?? f.aws_role_arn}`;
    case 'web.session.end':
      return `web session ended: ${f.reason}`;
    case 'user.login':
      return f.via ? `via ${f.via}` : '';
  }
  if (f.name) return String(f.name);
  if (f.error) return `${f.error}${f.via ? ` (via ${f.via})` : ''}`;
  return '';
}
