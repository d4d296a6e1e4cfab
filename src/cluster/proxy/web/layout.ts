import { html, type Html } from './html.js';
import { assetPath } from './assets/index.js';

/** The signed-in user as the page header shows them. */
export interface PageUser {
  name: string;
  roles: string[];
  /** Shows the Audit link. */
  canAudit: boolean;
  /** For the sign-out form. */
  csrfToken: string;
}

/** What every page is made of. */
export interface PageOptions {
  title: string;
  clusterName: string;
  body: Html;
  user?: PageUser;
  /** The header link to mark as the current page. */
  current?: 'apps' | 'audit';
  /** Extra elements for <head> (the launch page's refresh). */
  head?: Html;
}

/** A whole HTML document: the header (user, roles, sign-out) around a page's content. */
export function layout(o: PageOptions): string {
  const nav = (id: 'apps' | 'audit', href: string, text: string) => html`<a href="${href}"${o.current === id ? html` aria-current="page"` : ''}>${text}</a>`;
  const header = o.user
    ? html`<header class="top"><div class="top-inner">
  <a class="brand" href="/web/apps">tsh-aws <span>${o.clusterName}</span></a>
  <nav class="nav" aria-label="Main">${nav('apps', '/web/apps', 'Applications')}${o.user.canAudit ? nav('audit', '/web/audit', 'Audit') : ''}</nav>
  <div class="who">
    <span>Signed in as <span class="who-name" id="user-name">${o.user.name}</span></span>
    <ul class="chips" aria-label="Your roles" id="user-roles">${o.user.roles.map((r) => html`<li class="chip">${r}</li>`)}</ul>
    <form method="post" action="/web/logout"><input type="hidden" name="csrf" value="${o.user.csrfToken}"><button type="submit" class="quiet" id="sign-out">Sign out</button></form>
  </div>
</div></header>`
    : html`<header class="top"><div class="top-inner"><span class="brand">tsh-aws <span>${o.clusterName}</span></span></div></header>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${o.title} · tsh-aws</title>
<link rel="stylesheet" href="${assetPath('app.css')}">
<script src="${assetPath('app.js')}" defer></script>
${o.head}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${header}
<main id="main">
${o.body}
</main>
</body>
</html>
`.text;
}
