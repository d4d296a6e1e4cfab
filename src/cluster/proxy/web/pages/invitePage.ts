/**
 * The page behind an invite or reset link (`/web/invite/<token>`): shows the
 * user name and, when the cluster uses one-time codes, the authenticator
 * secret to add; asks for a password (and the first code) and sends them to
 * the same JSON API a script would use. No framework, no external assets.
 */
export function invitePage(proxyAddr: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'">
<title>Set up your account</title>
<style>
 body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
 h1 { font-size: 1.4rem; }
 label { display: block; margin-top: 1rem; font-weight: 600; }
 input { width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }
 button { margin-top: 1.5rem; padding: .6rem 1.2rem; font-size: 1rem; }
 code { background: #f1f3f5; padding: .1rem .3rem; word-break: break-all; }
 .error { color: #b00020; margin-top: 1rem; }
 .ok { color: #0a7d32; }
 [hidden] { display: none; }
</style>
</head>
<body>
<h1 id="title">Set up your account</h1>
<p id="loading">Loading…</p>
<form id="form" hidden>
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
  <p class="error" id="error" role="alert"></p>
</form>
<div id="done" hidden>
  <p class="ok"><strong>Your account is ready.</strong></p>
  <p>Log in from your terminal:</p>
  <p><code id="login-cmd"></code></p>
</div>
<script>
(async () => {
  const token = location.pathname.split('/').filter(Boolean).pop();
  const $ = (id) => document.getElementById(id);
  const fail = (msg) => { $('error').textContent = msg; };
  let info;
  try {
    const r = await fetch('/v1/webapi/users/password/token/' + encodeURIComponent(token));
    info = await r.json();
    if (!r.ok) throw new Error(info.error ? info.error.message + (info.error.hint ? ' (' + info.error.hint + ')' : '') : r.statusText);
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
    if (!r.ok) return fail(res.error ? res.error.message + (res.error.hint ? ' (' + res.error.hint + ')' : '') : 'Request failed: ' + r.status);
    $('form').hidden = true;
    $('done').hidden = false;
    $('login-cmd').textContent = 'tsh login --proxy=' + ${JSON.stringify(proxyAddr)} + ' --user=' + info.user;
  });
})();
</script>
</body>
</html>
`;
}
