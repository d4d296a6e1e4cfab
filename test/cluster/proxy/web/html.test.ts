import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, escapeHtml } from '../../../../src/cluster/proxy/web/html.js';

test('every value is escaped, for text and quoted attributes alike', () => {
  const hostile = `"><script>alert('x')</script>&`;
  const escaped = '&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;';
  assert.equal(html`<p title="${hostile}">${hostile}</p>`.text, `<p title="${escaped}">${escaped}</p>`);
  assert.equal(escapeHtml(`<&>"'`), '&lt;&amp;&gt;&quot;&#39;');
});

test('fragments pass through, lists are joined, nothing renders as nothing', () => {
  const item = (s: string) => html`<li>${s}</li>`;
  assert.equal(html`<ul>${['a<', 'b'].map(item)}</ul>`.text, '<ul><li>a&lt;</li><li>b</li></ul>');
  assert.equal(html`[${undefined}${null}${false}${0}]`.text, '[0]');
  assert.equal(String(html`${html`<b>${'&'}</b>`}`), '<b>&amp;</b>');
});
