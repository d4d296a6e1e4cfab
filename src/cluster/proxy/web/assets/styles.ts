/**
 * The web UI's one style sheet: system fonts, light and dark schemes from
 * the browser's preference, a focus ring that is always visible, and a
 * layout that holds from a 360 px phone to a desktop.
 */
export const stylesCss = `
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --surface: #ffffff; --text: #1b1f24; --muted: #565f69; --border: #cfd6de;
  --accent: #0b57d0; --accent-text: #ffffff; --accent-soft: #e5edfb; --danger: #b3261e; --danger-soft: #fbe9e7;
  --ok: #146c2e; --focus: #0b57d0; --chip: #eef1f4; --code: #eef1f4;
  --radius: 8px;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1216; --surface: #171b21; --text: #e6e8eb; --muted: #a1abb6; --border: #343c47;
    --accent: #7cacf8; --accent-text: #0b0f14; --accent-soft: #1c2a40; --danger: #f2b8b5; --danger-soft: #3a1d1b;
    --ok: #8fd19e; --focus: #a8c7fa; --chip: #232a33; --code: #232a33;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -999px; top: 0; background: var(--surface); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
code { background: var(--code); padding: .1rem .35rem; border-radius: 4px; overflow-wrap: anywhere; }
[hidden] { display: none !important; }

.top { background: var(--surface); border-bottom: 1px solid var(--border); }
.top-inner { max-width: 68rem; margin: 0 auto; padding: .6rem 1rem; display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.25rem; }
.brand { font-weight: 700; text-decoration: none; color: var(--text); }
.brand span { color: var(--muted); font-weight: 400; }
.nav { display: flex; gap: .25rem; flex-wrap: wrap; }
.nav a { padding: .35rem .7rem; border-radius: var(--radius); text-decoration: none; color: var(--text); }
.nav a[aria-current="page"] { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
.who { margin-left: auto; display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; }
.who-name { font-weight: 600; }
.who form { margin: 0; }

main { max-width: 68rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; line-height: 1.25; }
h2 { font-size: 1.15rem; margin: 0; }
p { margin: .5rem 0; }
.muted { color: var(--muted); }

button, .button {
  font: inherit; display: inline-flex; align-items: center; justify-content: center; gap: .4rem;
  min-height: 2.5rem; padding: .45rem 1rem; border-radius: var(--radius); cursor: pointer; text-decoration: none;
  border: 1px solid var(--accent); background: var(--accent); color: var(--accent-text); font-weight: 600;
}
button.secondary, .button.secondary { background: transparent; color: var(--accent); }
button.quiet { background: transparent; color: var(--text); border-color: var(--border); font-weight: 500; min-height: 2.25rem; padding: .3rem .8rem; }

label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
input, select {
  font: inherit; color: var(--text); background: var(--surface); width: 100%;
  min-height: 2.75rem; padding: .5rem .7rem; border: 1px solid var(--border); border-radius: var(--radius);
}
input:focus-visible, select:focus-visible { outline-offset: 0; }
.hint { color: var(--muted); font-size: .9rem; margin: .25rem 0 0; }

.alert { border: 1px solid var(--danger); background: var(--danger-soft); color: var(--text); border-radius: var(--radius); padding: .75rem 1rem; margin: 1rem 0; }
.notice { border: 1px solid var(--border); background: var(--accent-soft); border-radius: var(--radius); padding: .75rem 1rem; margin: 1rem 0; }

.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 1rem; }
.narrow { max-width: 26rem; margin: 2rem auto; }
.narrow button { width: 100%; margin-top: 1.5rem; }

.search { display: flex; gap: .5rem; align-items: flex-end; flex-wrap: wrap; margin-bottom: 1rem; }
.search > div { flex: 1 1 16rem; }
.search label { margin-top: 0; }
.apps { list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 19rem), 1fr)); }
.app { display: flex; flex-direction: column; gap: .5rem; }
.app-head { display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; }
.badge { font-size: .75rem; font-weight: 700; letter-spacing: .02em; padding: .1rem .45rem; border-radius: 999px; background: var(--accent-soft); color: var(--accent); }
.facts { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: .2rem .75rem; font-size: .95rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.chips { display: flex; flex-wrap: wrap; gap: .3rem; list-style: none; margin: 0; padding: 0; }
.chip { background: var(--chip); border-radius: 999px; padding: .05rem .55rem; font-size: .85rem; }
.app .actions { margin-top: auto; padding-top: .5rem; }

.roles { list-style: none; margin: 0; padding: 0; display: grid; gap: .75rem; }
.role { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: .75rem; display: grid; gap: .6rem; grid-template-columns: 1fr; }
@media (min-width: 48rem) { .role { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); align-items: center; } }
.pick { position: relative; width: 100%; justify-content: flex-start; text-align: left; flex-wrap: wrap; background: var(--surface); color: var(--text); border: 1px solid var(--border); padding: .6rem .8rem; min-height: 3.25rem; }
.pick:hover { border-color: var(--accent); background: var(--accent-soft); }
.pick .role-name { font-size: 1.2rem; font-weight: 700; overflow-wrap: anywhere; }
.pick .account { color: var(--muted); font-weight: 500; font-size: .9rem; }
.pick .arn { flex-basis: 100%; font-weight: 400; color: var(--muted); font-size: .85rem; overflow-wrap: anywhere; display: none; }
.pick:hover .arn, .pick:focus .arn, .pick:focus-visible .arn { display: block; }
.cli { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; min-width: 0; }
.cli code { flex: 1 1 14rem; }
.cli .status { font-size: .85rem; color: var(--ok); min-width: 4rem; }

.filters { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr)); align-items: end; margin-bottom: 1rem; }
.filters button { margin-top: 1rem; }
table { width: 100%; border-collapse: collapse; background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); }
th, td { text-align: left; vertical-align: top; padding: .5rem .6rem; border-bottom: 1px solid var(--border); font-size: .95rem; }
th { font-size: .85rem; color: var(--muted); }
td.time { white-space: nowrap; }
.kv { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 0 .6rem; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 44rem) {
  table, thead, tbody, tr, th, td { display: block; }
  thead { position: absolute; left: -9999px; }
  tr { border-bottom: 1px solid var(--border); padding: .4rem 0; }
  td { border: 0; padding: .2rem .6rem; }
  td::before { content: attr(data-label); display: block; font-size: .8rem; color: var(--muted); }
}
`;
