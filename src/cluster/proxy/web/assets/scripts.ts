/**
 * The web UI's first-party scripts, served as files (the pages' CSP allows
 * scripts from the proxy only, never inline ones). Every page works without
 * them; they add filtering as you type, arrow keys in the role picker, copy
 * buttons, and the invite form.
 */

/** Loaded by every page of the web UI. */
export const appJs = `'use strict';
(() => {
  // A page the back button restores from the browser's cache is asked for again,
  // so after signing out it shows the sign-in page, not the old content.
  addEventListener('pageshow', (e) => { if (e.persisted) location.reload(); });

  // Applications: filter the list as the user types (the search form works without this).
  const q = document.getElementById('q');
  const apps = Array.from(document.querySelectorAll('[data-search]'));
  const count = document.getElementById('app-count');
  if (q && apps.length) {
    const filter = () => {
      const words = q.value.toLowerCase().split(/\\s+/).filter(Boolean);
      let shown = 0;
      for (const app of apps) {
        const hit = words.every((w) => app.dataset.search.includes(w));
        app.hidden = !hit;
        if (hit) shown++;
      }
      if (count) count.textContent = shown === 1 ? '1 app' : shown + ' apps';
    };
    q.addEventListener('input', filter);
    q.form.addEventListener('submit', (e) => { e.preventDefault(); filter(); });
    filter();
  }

  // Role picker: arrow keys move between the roles, Home and End to the first and last;
  // Enter or Space picks the focused one (each role is a submit button).
  for (const list of document.querySelectorAll('[data-role-list]')) {
    const picks = Array.from(list.querySelectorAll('button.pick'));
    list.addEventListener('keydown', (e) => {
      const i = picks.indexOf(document.activeElement);
      if (i < 0) return;
      const next = { ArrowDown: i + 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowLeft: i - 1, Home: 0, End: picks.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      picks[(next + picks.length) % picks.length].focus();
    });
    if (picks.length && list.hasAttribute('data-autofocus')) picks[0].focus();
  }

  // Copy buttons: shown only where the script runs; the command stays selectable text either way.
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const status = document.getElementById(button.getAttribute('aria-describedby') || '');
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        if (status) status.textContent = 'Copied';
      } catch {
        if (status) status.textContent = 'Select the command and copy it';
      }
    });
  }

  // The launch page moves on by itself; focus its link for those who stay.
  const go = document.getElementById('continue');
  if (go) go.focus();
})();
`;

/** The invite page: enrol the authenticator and set a password through the JSON API a script would use. */
export const inviteJs = `'use strict';
(async () => {
  const token = location.pathname.split('/').filter(Boolean).pop();
  const $ = (id) => document.getElementById(id);
  const fail = (msg) => { $('error').textContent = msg; $('error').hidden = !msg; };
  const reason = (body, fallback) => body && body.error ? body.error.message + (body.error.hint ? ' (' + body.error.hint + ')' : '') : fallback;
  let info;
  try {
    const r = await fetch('/v1/webapi/users/password/token/' + encodeURIComponent(token));
    info = await r.json();
    if (!r.ok) throw new Error(reason(info, r.statusText));
  } catch (e) {
    $('loading').textContent = 'This link cannot be used: ' + e.message;
    return;
  }
  $('loading').hidden = true;
  $('form').hidden = false;
  $('user').textContent = info.user;
  if (info.totp) {
    $('totp').hidden = false;
    $('code-field').hidden = false;
    $('code').required = true;
    $('secret').textContent = info.totp.secret;
    $('uri').textContent = info.totp.uri;
  }
  $('form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    fail('');
    if ($('password').value !== $('confirm').value) return fail('The passwords do not match.');
    const body = { token, password: $('password').value, second_factor_token: $('code').value || undefined };
    const r = await fetch('/v1/webapi/users/password/token', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const res = await r.json().catch(() => ({}));
    if (!r.ok) return fail(reason(res, 'Request failed: ' + r.status));
    $('form').hidden = true;
    $('done').hidden = false;
    $('login-cmd').textContent = 'tsh login --proxy=' + $('form').dataset.proxyAddr + ' --user=' + info.user;
  });
})();
`;
