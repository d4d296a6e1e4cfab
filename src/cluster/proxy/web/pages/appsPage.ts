import type { AppListing } from '../../../../shared/api/types.js';
import { html } from '../html.js';
import { layout, type PageUser } from '../layout.js';

/** The words an app is found by: name, description, public address, labels. */
function searchText(app: AppListing): string {
  return [app.name, app.description, app.publicAddr, ...Object.entries(app.labels).map(([k, v]) => `${k}=${v}`)].join(' ').toLowerCase();
}

/** True when every word of the query is in the app's search text. */
export function matchesQuery(app: AppListing, query: string): boolean {
  const text = searchText(app);
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((w) => text.includes(w));
}

/** `/web/apps`: every app the user's roles allow, with a search box and Launch. */
export function appsPage(o: { clusterName: string; user: PageUser; apps: AppListing[]; query: string }): string {
  const shown = o.apps.filter((a) => matchesQuery(a, o.query));
  const count = (n: number) => (n === 1 ? '1 app' : `${n} apps`);
  const list = shown.map(
    (app) => html`<li class="card app" data-search="${searchText(app)}" id="app-${app.name}">
  <div class="app-head"><h2>${app.name}</h2>${app.aws ? html`<span class="badge">AWS</span>` : ''}</div>
  ${app.description ? html`<p>${app.description}</p>` : ''}
  <dl class="facts">
    <dt>Public address</dt><dd><code>${app.publicAddr}</code></dd>
    ${
      Object.keys(app.labels).length
        ? html`<dt>Labels</dt><dd><ul class="chips" aria-label="Labels">${Object.entries(app.labels).map(([k, v]) => html`<li class="chip">${k}: ${v}</li>`)}</ul></dd>`
        : ''
    }
  </dl>
  <div class="actions"><a class="button" href="/web/apps/${encodeURIComponent(app.name)}" aria-label="Launch ${app.name}">Launch</a></div>
</li>`,
  );
  return layout({
    title: 'Applications',
    clusterName: o.clusterName,
    user: o.user,
    current: 'apps',
    body: html`<h1>Applications</h1>
<form class="search" role="search" method="get" action="/web/apps">
  <div><label for="q">Search applications</label><input id="q" name="q" type="search" value="${o.query}" autocomplete="off" aria-describedby="app-count"></div>
  <button type="submit" class="secondary">Search</button>
</form>
<p class="muted" id="app-count" aria-live="polite">${count(shown.length)}</p>
${
  o.apps.length === 0
    ? html`<p class="notice">Your roles allow no apps yet. Ask an administrator for a role whose <code>app_labels</code> match an app.</p>`
    : html`<ul class="apps">${list}</ul>`
}`,
  });
}
