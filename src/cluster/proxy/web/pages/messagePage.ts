import { html } from '../html.js';
import { layout, type PageUser } from '../layout.js';

/** A page that says one thing: a refusal or an error, with what to do next. */
export function messagePage(o: { clusterName: string; user?: PageUser; title: string; message: string; hint?: string }): string {
  return layout({
    title: o.title,
    clusterName: o.clusterName,
    user: o.user,
    body: html`<div class="card narrow">
<h1>${o.title}</h1>
<p class="alert" role="alert" id="message">${o.message}</p>
${o.hint ? html`<p id="hint">${o.hint}</p>` : ''}
<p>${o.user ? html`<a href="/web/apps">Back to Applications</a>` : html`<a href="/web/login">Sign in</a>`}</p>
</div>`,
  });
}
