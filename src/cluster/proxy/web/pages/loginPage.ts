import { html } from '../html.js';
import { layout } from '../layout.js';

/** What the sign-in page shows. */
export interface LoginPageOptions {
  clusterName: string;
  /** For the `tsh login` hint. */
  proxyAddr: string;
  /** The sign-in form's CSRF token (also in the login cookie). */
  csrfToken: string;
  secondFactor: 'off' | 'otp';
  /** The user name to keep in the field after a failed attempt. */
  user?: string;
  /** Why the last attempt failed. */
  error?: string;
  /** Why the user is here (their session ended). */
  notice?: string;
}

/** `/web/login`: user name, password and, when the cluster asks for one, the one-time code. */
export function loginPage(o: LoginPageOptions): string {
  const focusPassword = Boolean(o.user);
  return layout({
    title: 'Sign in',
    clusterName: o.clusterName,
    body: html`<div class="card narrow">
<h1>Sign in to ${o.clusterName}</h1>
${o.notice ? html`<p class="notice" id="login-notice">${o.notice}</p>` : ''}
${o.error ? html`<p class="alert" role="alert" id="login-error">${o.error}</p>` : ''}
<form method="post" action="/web/login" novalidate>
  <input type="hidden" name="csrf" value="${o.csrfToken}">
  <label for="user">User name</label>
  <input id="user" name="user" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${o.user ?? ''}"${focusPassword ? '' : html` autofocus`}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${focusPassword ? html` autofocus` : ''}>
  ${
    o.secondFactor === 'otp'
      ? html`<label for="otp">One-time code</label>
  <input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required aria-describedby="otp-hint">
  <p class="hint" id="otp-hint">The 6-digit code your authenticator app shows now.</p>`
      : ''
  }
  <button type="submit" id="sign-in">Sign in</button>
</form>
<p class="hint">From a terminal: <code>tsh login --proxy=${o.proxyAddr} --user=${o.user || 'NAME'}</code></p>
</div>`,
  });
}
