/**
 * The page behind an invite or reset link (`/web/invite/<token>`): shows the
 * user name and, when the cluster uses one-time codes, the authenticator
 * secret to add; asks for a password (and the first code) and sends them to
 * the same JSON API a script would use (assets/scripts.ts, inviteJs).
 */
import { html } from '../html.js';
import { layout } from '../layout.js';
import { assetPath } from '../assets/index.js';

export function invitePage(proxyAddr: string, clusterName: string): string {
  return layout({
    title: 'Set up your account',
    clusterName,
    head: html`<script src="${assetPath('invite.js')}" defer></script>`,
    body: html`<div class="card narrow">
<h1 id="title">Set up your account</h1>
<p id="loading">Loading…</p>
<form id="form" data-proxy-addr="${proxyAddr}" hidden>
  <p>Welcome, <strong id="user"></strong>. Choose a password (at least 12 characters).</p>
  <div id="totp" hidden>
    <p>Add this secret to your authenticator app (Google Authenticator, 1Password, …):</p>
    <p><code id="secret"></code></p>
    <p>or open <code id="uri"></code></p>
  </div>
  <label for="password">Password</label>
  <input id="password" type="password" autocomplete="new-password" required minlength="12">
  <label for="confirm">Confirm password</label>
  <input id="confirm" type="password" autocomplete="new-password" required minlength="12">
  <div id="code-field" hidden>
    <label for="code">One-time code from your authenticator</label>
    <input id="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6">
  </div>
  <button id="submit" type="submit">Set password</button>
  <p class="alert" id="error" role="alert" hidden></p>
</form>
<div id="done" hidden>
  <p><strong>Your account is ready.</strong></p>
  <p>Sign in to the <a href="/web/login">web UI</a>, or log in from your terminal:</p>
  <p><code id="login-cmd"></code></p>
</div>
</div>`,
  });
}
