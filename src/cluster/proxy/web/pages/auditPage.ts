import type { AuditEventRecord } from '../../../../shared/api/types.js';
import { awsRequestDetails, eventDetails } from '../../../../shared/audit/eventDetails.js';
import { html } from '../html.js';
import { layout, type PageUser } from '../layout.js';

/** The time ranges the page offers, as `tctl audit events --since` takes them. */
export const AUDIT_RANGES: Array<{ value: string; text: string }> = [
  { value: '15m', text: 'Last 15 minutes' },
  { value: '1h', text: 'Last hour' },
  { value: '24h', text: 'Last 24 hours' },
  { value: '168h', text: 'Last 7 days' },
  { value: '720h', text: 'Last 30 days' },
];

/** The page's filters, from its query string. */
export interface AuditFilters {
  type: string;
  user: string;
  since: string;
}

/** `/web/audit`: the audit trail, newest first, filtered by type, user and time. */
export function auditPage(o: { clusterName: string; user: PageUser; filters: AuditFilters; eventTypes: string[]; events: AuditEventRecord[]; truncatedAt?: number }): string {
  const f = o.filters;
  const rows = o.events.map((e) => {
    const aws = awsRequestDetails(e);
    const details = aws
      ? html`<dl class="kv"><dt>Service</dt><dd>${aws.service}</dd><dt>Action</dt><dd><code>${aws.action}</code></dd><dt>Status</dt><dd>${aws.status}</dd><dt>Assumed role</dt><dd>${aws.assumedRole}</dd></dl>`
      : html`${eventDetails(e)}`;
    return html`<tr data-event="${e.event}">
  <td class="time" data-label="Time (UTC)"><time datetime="${e.time}">${e.time.slice(0, 19).replace('T', ' ')}</time></td>
  <td data-label="Event">${e.event} <span class="muted">${e.code}</span></td>
  <td data-label="User">${e.user ?? ''}</td>
  <td data-label="Details">${details}</td>
</tr>`;
  });
  return layout({
    title: 'Audit',
    clusterName: o.clusterName,
    user: o.user,
    current: 'audit',
    body: html`<h1>Audit</h1>
<form class="filters" method="get" action="/web/audit" aria-label="Filter events">
  <div><label for="type">Event type</label><select id="type" name="type"><option value="">All events</option>${o.eventTypes.map((t) => html`<option value="${t}"${t === f.type ? html` selected` : ''}>${t}</option>`)}</select></div>
  <div><label for="audit-user">User</label><input id="audit-user" name="user" value="${f.user}" autocomplete="off" spellcheck="false"></div>
  <div><label for="since">Time</label><select id="since" name="since">${AUDIT_RANGES.map((r) => html`<option value="${r.value}"${r.value === f.since ? html` selected` : ''}>${r.text}</option>`)}</select></div>
  <div><button type="submit">Show events</button></div>
</form>
<p class="muted" id="event-count" aria-live="polite">${o.events.length === 1 ? '1 event' : `${o.events.length} events`}, newest first${o.truncatedAt ? html` (the newest ${o.truncatedAt}; narrow the filters to see others)` : ''}</p>
${
  o.events.length === 0
    ? html`<p class="notice">No events match.</p>`
    : html`<table id="events"><caption class="visually-hidden">Audit events</caption><thead><tr><th scope="col">Time (UTC)</th><th scope="col">Event</th><th scope="col">User</th><th scope="col">Details</th></tr></thead><tbody>${rows}</tbody></table>`
}`,
  });
}
