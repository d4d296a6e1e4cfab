import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserCommand } from '../../src/client/openBrowser.js';

test('each platform\'s opener gets the URL as one argument, with no shell to split it at &', () => {
  const url = 'https://signin.aws.amazon.com/federation?Action=login&Issuer=https%3A%2F%2Fp&SigninToken=a&b';
  assert.deepEqual(browserCommand(url, 'linux'), ['xdg-open', [url]]);
  assert.deepEqual(browserCommand(url, 'freebsd'), ['xdg-open', [url]]);
  assert.deepEqual(browserCommand(url, 'darwin'), ['open', [url]]);
  assert.deepEqual(browserCommand(url, 'win32'), ['rundll32.exe', ['url.dll,FileProtocolHandler', url]]);
});
