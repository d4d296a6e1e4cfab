import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskSecrets } from '../../src/shared/text/maskSecrets.js';

test('debug log lines keep what happened and lose what would let someone act as the user', () => {
  assert.equal(
    maskSecrets('/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc123&X-Amz-Security-Token=tok&x-id=GetObject'),
    '/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***&x-id=GetObject',
  );
  assert.equal(maskSecrets('/v1/webapi/users/password/token/0123abcd'), '/v1/webapi/users/password/token/***');
  assert.equal(maskSecrets('/web/invite/0123abcd?x=1'), '/web/invite/***?x=1');
  assert.equal(maskSecrets('/v1/rpc/apps.list'), '/v1/rpc/apps.list');
});
