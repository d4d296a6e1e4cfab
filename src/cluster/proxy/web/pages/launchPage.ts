import { html } from '../html.js';
import { layout, type PageUser } from '../layout.js';

/**
 * The last page before the console: it moves on to the sign-in URL by
 * itself. (A redirect could not: the form that started the launch may only
 * post to this proxy, and browsers hold a form's redirects to that too.)
 */
export function launchPage(o: { clusterName: string; user: PageUser; app: string; roleName: string; signinUrl: string }): string {
  return layout({
    title: `Opening the AWS console`,
    clusterName: o.clusterName,
    user: o.user,
    head: html`<meta http-equiv="refresh" content="0;url=${o.signinUrl}">`,
    body: html`<div class="card narrow">
<h1>Opening the AWS Management Console</h1>
<p>Signing you in to <strong>${o.app}</strong> as <strong>${o.roleName}/${o.user.name}</strong>…</p>
<p><a class="button" id="continue" href="${o.signinUrl}">Continue to the AWS console</a></p>
<p class="hint">This link works once, for 15 minutes. To open the console again, launch it again from Applications.</p>
</div>`,
  });
}
