/**
 * How `tsh aws` starts its child on each platform: never through a shell that
 * would read the user's arguments again. Windows cannot be run here, so the
 * Windows path is checked on the argument handling itself: what would reach
 * spawn (file and argv, with no `shell` option anywhere).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { childCommand, splitWindowsCommand } from '../../../src/client/aws/childCommand.js';

/** Arguments a shell would mangle: cmd.exe's &, |, %VAR%, ^ and quotes; sh's $, `, ;, globs. */
const hostile = ['--query', 'Tables[?name==`a b`]', 'a&calc', '%PATH%', '^x', '"quoted"', "it's", '$(id)', '*', 'two words', ''];

describe('childCommand', () => {
  test('the aws CLI gets the arguments unchanged, without a shell, on Windows as on Linux', () => {
    for (const platform of ['win32', 'linux', 'darwin'] as const) {
      assert.deepEqual(childCommand('aws', ['dynamodb', 'list-tables', ...hostile], platform), { file: 'aws', args: ['dynamodb', 'list-tables', ...hostile] });
    }
  });

  test('--exec with flags on Windows: the program and its flags split here, the user\'s arguments kept whole', () => {
    const c = childCommand('"C:\\Program Files\\Terraform\\terraform.exe" -chdir="infra dir"', ['plan', ...hostile], 'win32');
    assert.deepEqual(c, { file: 'C:\\Program Files\\Terraform\\terraform.exe', args: ['-chdir=infra dir', 'plan', ...hostile] });
    assert.ok(!('shell' in c), 'no shell option');
  });

  test('--exec with flags on POSIX: sh runs the --exec text and receives the arguments as "$@"', () => {
    assert.deepEqual(childCommand('terraform -chdir=infra', ['plan', ...hostile], 'linux'), {
      file: '/bin/sh',
      args: ['-c', 'terraform -chdir=infra "$@"', 'terraform -chdir=infra', 'plan', ...hostile],
    });
  });

  test('a single-word --exec runs directly everywhere', () => {
    assert.deepEqual(childCommand(' terraform ', ['plan'], 'win32'), { file: 'terraform', args: ['plan'] });
    assert.deepEqual(childCommand('terraform', ['plan'], 'linux'), { file: 'terraform', args: ['plan'] });
  });
});

describe('splitWindowsCommand', () => {
  test('spaces separate, double quotes group, \\" is a quote, nothing else is special', () => {
    assert.deepEqual(splitWindowsCommand('tf  -a "b c"\t"" x"y"z \\"q\\" %PATH% a&b'), ['tf', '-a', 'b c', '', 'xyz', '"q"', '%PATH%', 'a&b']);
    assert.deepEqual(splitWindowsCommand('   '), []);
  });
});
