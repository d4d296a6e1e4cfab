/**
 * The committed PowerShell completion scripts, checked for structure: pwsh is
 * not packaged for Debian and cannot be installed on our machines, so no
 * PowerShell runs them here. What is checked is what a broken generator
 * would get wrong: the two data tables (read back with a small parser of
 * PowerShell's literal syntax) hold exactly the command tree (every command,
 * alias, flag, value list and dynamic source), hash literals have no keys
 * that PowerShell would take as duplicates (it compares them ignoring case),
 * every quote and bracket of the script pairs up, and the completer is
 * registered as a native one that reads dynamic values from `PROGRAM __complete`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processContext } from '../../../src/cli/cliContext.js';
import { buildTsh } from '../../../src/cli/tsh/program.js';
import { buildTctl } from '../../../src/cli/tctl/program.js';
import { describeProgram } from '../../../src/cli/completion/describeProgram.js';
import { optionFlags, walkNodes, type ValueSource } from '../../../src/cli/completion/model.js';
import { renderPowerShell } from '../../../src/cli/completion/powershell.js';
import { completionsDir } from './shellDrivers.js';

type PsValue = string | number | boolean | PsValue[] | { [key: string]: PsValue };

/** Reads one PowerShell literal (@{...}, @(...), '...', $true/$false, integers) at text[at]; refuses duplicate hash keys as PowerShell does. */
function parseLiteral(text: string, at = 0): { value: PsValue; end: number } {
  const ws = (i: number) => {
    while (i < text.length && /[\s;]/.test(text[i])) i++;
    return i;
  };
  let i = ws(at);
  if (text[i] === "'") {
    let s = '';
    for (i++; ; i++) {
      if (i >= text.length) throw new Error('unterminated string');
      if (text[i] === "'") {
        if (text[i + 1] === "'") {
          s += "'";
          i++;
        } else return { value: s, end: i + 1 };
      } else s += text[i];
    }
  }
  if (text.startsWith('$true', i)) return { value: true, end: i + 5 };
  if (text.startsWith('$false', i)) return { value: false, end: i + 6 };
  const num = /^-?\d+/.exec(text.slice(i));
  if (num) return { value: Number(num[0]), end: i + num[0].length };
  if (text.startsWith('@(', i)) {
    const items: PsValue[] = [];
    i = ws(i + 2);
    let unary = false;
    if (text[i] === ',') {
      unary = true; // @(,x): an array holding the one array x
      i = ws(i + 1);
    }
    while (text[i] !== ')') {
      const item = parseLiteral(text, i);
      items.push(item.value);
      i = ws(item.end);
      if (text[i] === ',') i = ws(i + 1);
      else if (text[i] !== ')') throw new Error(`expected , or ) at ${text.slice(i, i + 30)}`);
    }
    // PowerShell flattens @(@(a, b)) into @(a, b); a lone inner array needs the unary comma.
    const value = !unary && items.length === 1 && Array.isArray(items[0]) ? items[0] : items;
    return { value, end: i + 1 };
  }
  if (text.startsWith('@{', i)) {
    const map: Record<string, PsValue> = {};
    const seen = new Set<string>();
    i = ws(i + 2);
    while (text[i] !== '}') {
      const key = /^[A-Za-z_]\w*/.exec(text.slice(i));
      let name: string;
      if (key) {
        name = key[0];
        i += name.length;
      } else {
        const k = parseLiteral(text, i);
        name = k.value as string;
        i = k.end;
      }
      if (seen.has(name.toLowerCase())) throw new Error(`duplicate key "${name}" (PowerShell compares keys ignoring case)`);
      seen.add(name.toLowerCase());
      i = ws(i);
      assert.equal(text[i], '=', `= after key ${name}`);
      const v = parseLiteral(text, i + 1);
      map[name] = v.value;
      i = ws(v.end);
    }
    return { value: map, end: i + 1 };
  }
  throw new Error(`unexpected ${JSON.stringify(text.slice(i, i + 30))}`);
}

/** The literal assigned to `$NAME = ...` in the script. */
function table(script: string, name: string): Record<string, any> {
  const at = script.indexOf(`$${name} = `);
  assert.ok(at >= 0, `$${name} is defined`);
  return parseLiteral(script, at + name.length + 4).value as Record<string, any>;
}

/** Quotes, brackets and braces outside comments and strings pair up. */
function assertBalanced(script: string): void {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '#' && (i === 0 || /\s/.test(script[i - 1]))) {
      while (i < script.length && script[i] !== '\n') i++;
    } else if (c === "'") {
      for (i++; script[i] !== "'" || script[i + 1] === "'"; i++) {
        if (script[i] === "'") i++;
        if (i >= script.length) assert.fail('unterminated single-quoted string');
      }
    } else if (c === '"') {
      for (i++; script[i] !== '"'; i++) {
        if (script[i] === '`') i++;
        if (i >= script.length) assert.fail('unterminated double-quoted string');
      }
    } else if ('({['.includes(c)) stack.push(c);
    else if (')}]'.includes(c)) assert.equal(stack.pop(), pairs[c], `unbalanced ${c} at offset ${i}`);
  }
  assert.deepEqual(stack, [], 'every bracket is closed');
}

const expectedValue = (v: ValueSource): PsValue | undefined =>
  v.type === 'words' ? ['w', ...v.words] : v.type === 'dynamic' ? ['d', v.source] : v.type === 'files' ? ['f'] : undefined;

const ctx = processContext([]);
for (const program of [buildTsh(ctx), buildTctl(ctx)]) {
  const name = program.name();
  const model = describeProgram(program);
  const script = readFileSync(join(completionsDir, `${name}.ps1`), 'utf8');

  describe(`completions/${name}.ps1 (structure; pwsh is not installable here)`, () => {
    it('is what the generator writes, and every quote and bracket pairs up', () => {
      assert.equal(script, renderPowerShell(model));
      assertBalanced(script);
    });

    it('is registered as a native completer for the program that asks it for app and role names', () => {
      assert.match(script, new RegExp(`^Register-ArgumentCompleter -Native -CommandName '${name}' -ScriptBlock \\{$`, 'm'));
      if (name === 'tsh') assert.match(script, /& \$program __complete \$entry\[1\] \$app 2>\$null/);
    });

    it('holds every command with its subcommands, aliases, flags and the app it acts on', () => {
      const nodes = table(script, `__${name}_nodes`);
      const all = walkNodes(model);
      assert.deepEqual(Object.keys(nodes).sort(), all.map((n) => [name, ...n.path].join(' ')).sort());
      for (const n of all) {
        const entry = nodes[[name, ...n.path].join(' ')];
        const label = [name, ...n.path].join(' ');
        assert.deepEqual(entry.subs, n.commands.map((c) => c.name), `${label}: subcommands`);
        assert.deepEqual(entry.aliases, Object.fromEntries(n.commands.flatMap((c) => c.aliases.map((a) => [a, c.name]))), `${label}: aliases`);
        assert.deepEqual(entry.opts.map((o: string[]) => o[0]), n.options.flatMap(optionFlags), `${label}: flags`);
        assert.deepEqual(entry.vopts, n.options.filter((o) => o.takesValue).flatMap(optionFlags), `${label}: flags followed by a value`);
        assert.deepEqual(entry.cmds.map((c: string[]) => c[0]), n.commands.map((c) => c.name), `${label}: subcommand descriptions`);
        for (const o of n.options) for (const f of optionFlags(o)) assert.equal(entry.opts.find((x: string[]) => x[0] === f)[1], o.description || f);
        assert.equal(entry.appopt, n.appFrom.option ?? '');
        assert.equal(entry.apparg, n.appFrom.argument ?? -1);
        assert.equal(entry.pass, n.passThrough);
      }
    });

    it('names where every value comes from (word lists, files, `__complete` sources)', () => {
      const values = table(script, `__${name}_values`);
      const expected: Record<string, PsValue> = {};
      for (const n of walkNodes(model)) {
        const key = [name, ...n.path].join(' ');
        for (const o of n.options) {
          const v = o.takesValue ? expectedValue(o.values) : undefined;
          if (v) for (const f of optionFlags(o)) expected[`${key}|${f}`] = v;
        }
        n.arguments.forEach((a, i) => {
          const v = expectedValue(a.values);
          if (v && !n.passThrough) expected[`${key}|#${a.variadic ? '*' : i}`] = v;
        });
      }
      assert.deepEqual(values, expected);
      if (name === 'tsh') {
        assert.deepEqual(values['tsh apps login|--aws-role'], ['d', 'roles']);
        assert.deepEqual(values['tsh completion|#0'], ['w', 'bash', 'zsh', 'fish', 'powershell']);
      }
    });
  });
}

describe('the PowerShell literal reader used above', () => {
  it('refuses what PowerShell refuses, so the checks can fail', () => {
    assert.throws(() => parseLiteral("@{ 'a' = 1; 'A' = 2 }"), /duplicate key/);
    assert.throws(() => parseLiteral("@('it's')"), /expected , or \)/);
    assert.deepEqual(parseLiteral("@(@('a', 'b'))").value, ['a', 'b'], 'a lone inner array is flattened');
    assert.deepEqual(parseLiteral("@(,@('a', 'b'))").value, [['a', 'b']]);
    assert.throws(() => assertBalanced("{ 'a' "), /every bracket is closed/);
  });
});
