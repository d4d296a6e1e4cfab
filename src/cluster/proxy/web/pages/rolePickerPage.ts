import type { AppListing } from '../../../../shared/api/types.js';
import { parseRoleArn, type RoleArn } from '../../../../shared/aws/roleArn.js';
import { html } from '../html.js';
import { layout, type PageUser } from '../layout.js';

/** The `--aws-role` value for a role: its name, or the ARN when another allowed role has the same name. */
function roleFlag(role: RoleArn, all: RoleArn[]): string {
  return all.filter((r) => r.displayName === role.displayName).length > 1 ? role.arn : role.displayName;
}

/**
 * `/web/apps/<aws app>`: the IAM role picker. Each role is a submit button
 * (name large, account beside it, the full ARN on hover and focus);
 * arrow keys move between them. Beside each, the `tsh apps login` command
 * that uses the same role from a terminal.
 */
export function rolePickerPage(o: { clusterName: string; user: PageUser; app: AppListing }): string {
  const roles = o.app.awsRoleArns.map(parseRoleArn).filter((r): r is RoleArn => r !== undefined);
  roles.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.accountId.localeCompare(b.accountId));
  const items = roles.map((role, i) => {
    const command = `tsh apps login --aws-role ${roleFlag(role, roles)} ${o.app.name}`;
    return html`<li class="role">
  <button type="submit" class="pick" name="role" value="${role.arn}" title="${role.arn}" aria-describedby="arn-${i}">
    <span class="role-name">${role.displayName}</span>
    <span class="account">account ${role.accountId}</span>
    <span class="arn" id="arn-${i}">${role.arn}</span>
  </button>
  <div class="cli">
    <code id="cli-${i}">${command}</code>
    <button type="button" class="quiet" data-copy="${command}" aria-label="Copy the command for ${role.displayName}" aria-describedby="copied-${i}" hidden>Copy</button>
    <span class="status" id="copied-${i}" aria-live="polite"></span>
  </div>
</li>`;
  });
  return layout({
    title: `Launch ${o.app.name}`,
    clusterName: o.clusterName,
    user: o.user,
    current: 'apps',
    body: html`<p><a href="/web/apps">← Applications</a></p>
<h1>Launch ${o.app.name}: choose an IAM role</h1>
<p id="picker-help">Pick the role to sign in to the AWS Management Console with; the console shows you as <em>role/${o.user.name}</em>. Arrow keys move between the roles, Enter picks one. For the AWS CLI and SDKs, run the command beside it instead.</p>
${
  roles.length === 0
    ? html`<p class="notice" id="no-roles">Your roles allow no IAM role on this app. Ask an administrator to add one to your <code>aws_role_arns</code>.</p>`
    : html`<form method="post" action="/web/launch">
  <input type="hidden" name="csrf" value="${o.user.csrfToken}">
  <input type="hidden" name="app" value="${o.app.name}">
  <ul class="roles" data-role-list data-autofocus aria-label="IAM roles for ${o.app.name}" aria-describedby="picker-help">${items}</ul>
</form>`
}`,
  });
}
