/**
 * The PowerShell completion script (Windows PowerShell 5.1 and PowerShell 7):
 * the command tree as two hashtables (one entry per command, one per place a
 * value goes) and a native argument completer that walks the line through
 * them, as the bash script does. PowerShell hands the completer the parsed
 * line (`$commandAst`), so quoting is PowerShell's own.
 */
import { optionFlags, walkNodes, type CompletionNode, type ValueSource } from './model.js';
import { plainWord, psQuote } from './quote.js';

const list = (xs: string[]) => `@(${xs.map((x) => psQuote(plainWord(x))).join(', ')})`;
/** An array of (word, description) pairs; a lone pair needs PowerShell's unary comma, or `@()` would flatten it. */
const pairs = (xs: Array<[string, string]>) => `@(${xs.length === 1 ? ',' : ''}${xs.map(([w, d]) => `@(${psQuote(plainWord(w))}, ${psQuote(d || w)})`).join(', ')})`;

function valueEntry(v: ValueSource): string | undefined {
  switch (v.type) {
    case 'words':
      return `@('w', ${v.words.map((w) => psQuote(plainWord(w))).join(', ')})`;
    case 'dynamic':
      return `@('d', ${psQuote(v.source)})`;
    case 'files':
      return `@('f')`;
    case 'none':
      return undefined;
  }
}

/** The PowerShell completion script for a program's tree (`root` is the program itself). */
export function renderPowerShell(root: CompletionNode): string {
  const p = plainWord(root.name);
  const v = `__${p.replace(/\W/g, '_')}`;
  const key = (n: CompletionNode) => [p, ...n.path].join(' ');
  const nodes = walkNodes(root);

  const nodeEntries = nodes.map((n) => {
    const fields = [
      `subs = ${list(n.commands.map((c) => c.name))}`,
      `aliases = @{ ${n.commands.flatMap((c) => c.aliases.map((a) => `${psQuote(plainWord(a))} = ${psQuote(c.name)}`)).join('; ')} }`,
      `vopts = ${list(n.options.filter((o) => o.takesValue).flatMap(optionFlags))}`,
      `appopt = ${psQuote(n.appFrom.option ?? '')}`,
      `apparg = ${n.appFrom.argument ?? -1}`,
      `pass = $${n.passThrough}`,
      `opts = ${pairs(n.options.flatMap((o) => optionFlags(o).map((f): [string, string] => [f, o.description])))}`,
      `cmds = ${pairs(n.commands.map((c): [string, string] => [c.name, c.description]))}`,
    ];
    return `    ${psQuote(key(n))} = @{\n${fields.map((f) => `        ${f}`).join('\n')}\n    }`;
  });

  const valueEntries: string[] = [];
  for (const n of nodes) {
    for (const o of n.options) {
      const entry = o.takesValue ? valueEntry(o.values) : undefined;
      if (entry) for (const f of optionFlags(o)) valueEntries.push(`    ${psQuote(`${key(n)}|${f}`)} = ${entry}`);
    }
    n.arguments.forEach((a, i) => {
      const entry = valueEntry(a.values);
      if (entry && !n.passThrough) valueEntries.push(`    ${psQuote(`${key(n)}|#${a.variadic ? '*' : i}`)} = ${entry}`);
    });
  }

  return `# PowerShell completion for ${p}. Generated from ${p}'s command tree by \`npm run completions\`; do not edit.
#
# Install (Windows PowerShell 5.1 or PowerShell 7), in your $PROFILE:
#   ${p} completion powershell | Out-String | Invoke-Expression

# One entry per command: its subcommands (and aliases), the flags followed by a value, the flag and
# the argument index naming an app, whether the words after its first argument belong to another
# program (pass), and every flag and subcommand with its description.
$${v}_nodes = @{
${nodeEntries.join('\n')}
}

# Where values come from, by 'COMMAND|FLAG' or 'COMMAND|#INDEX' ('#*': every argument):
#   'w' these words, 'd' \`${p} __complete SOURCE [APP]\` (local files only), 'f' file names.
$${v}_values = @{
${valueEntries.join('\n')}
}

Register-ArgumentCompleter -Native -CommandName ${psQuote(p)} -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $nodes = $${v}_nodes
    $valueTable = $${v}_values
    $result = {
        param($text, $type, $tip)
        $shown = if ($text -match '[\\s''"\`$;&|(){}<>]') { "'" + ($text -replace "'", "''") + "'" } else { $text }
        if (-not $tip) { $tip = $text }
        [System.Management.Automation.CompletionResult]::new($shown, $text, $type, $tip)
    }

    # The words before the one being completed (the program itself left out), unquoted.
    $words = @()
    $elements = $commandAst.CommandElements
    for ($i = 1; $i -lt $elements.Count; $i++) {
        $e = $elements[$i]
        if ($e.Extent.EndOffset -ge $cursorPosition) { break }
        if ($e -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $words += $e.Value } else { $words += $e.Extent.Text }
    }
    $cur = "$wordToComplete"

    $path = ${psQuote(p)}
    $node = $nodes[$path]
    $npos = 0
    $app = ''
    $optapp = ''
    $valopt = ''
    $passed = $false
    for ($i = 0; $i -lt $words.Count; $i++) {
        $w = $words[$i]
        if ($w -like '--*=*') {
            if ($node.appopt -and $w.StartsWith($node.appopt + '=')) { $optapp = $w.Substring($node.appopt.Length + 1) }
        } elseif ($w -like '-?*') {
            if ($node.vopts -contains $w) {
                if ($i + 1 -ge $words.Count) { $valopt = $w; break }
                $i++
                if ($w -eq $node.appopt) { $optapp = $words[$i] }
            }
        } else {
            $sub = ''
            if ($npos -eq 0) {
                if ($node.subs -contains $w) { $sub = $w }
                if ($node.aliases.ContainsKey($w)) { $sub = $node.aliases[$w] }
            }
            if ($sub) {
                $path = "$path $sub"
                $node = $nodes[$path]
            } else {
                if ($npos -eq $node.apparg) { $app = $w }
                $npos++
                if ($node.pass) { $passed = $true; break }
            }
        }
    }
    if (-not $app) { $app = $optapp }

    # The values of one flag or argument that start with PREFIX, each shown after SHOWN (for --flag=value).
    $values = {
        param($entryKey, $prefix, $shown)
        $entry = $valueTable[$entryKey]
        if (-not $entry -and $entryKey -like '*|#*') { $entry = $valueTable[($entryKey -replace '#\\d+$', '#*')] }
        if (-not $entry -or $entry[0] -eq 'f') { return }
        if ($entry[0] -eq 'w') {
            $entry | Select-Object -Skip 1 | Where-Object { $_ -like "$prefix*" } | ForEach-Object { & $result "$shown$_" 'ParameterValue' $_ }
            return
        }
        $program = $commandAst.CommandElements[0].Extent.Text
        & $program __complete $entry[1] $app 2>$null | ForEach-Object {
            $value, $tip = "$_" -split "\`t", 2
            if ($value -and $value -like "$prefix*") { & $result "$shown$value" 'ParameterValue' $tip }
        }
    }

    # After \`${p} aws [its flags] WORD\`, the words are the other program's: nothing of ours.
    if ($passed) { return }
    if ($valopt) { return & $values "$path|$valopt" $cur '' }
    if ($cur -like '--*=*' -and $node.vopts -contains $cur.Split('=')[0]) {
        $flag = $cur.Split('=')[0]
        return & $values "$path|$flag" $cur.Substring($flag.Length + 1) "$flag="
    }
    if ($cur -like '-*') {
        return $node.opts | Where-Object { $_[0] -like "$cur*" } | ForEach-Object { & $result $_[0] 'ParameterName' $_[1] }
    }
    if ($node.subs.Count -gt 0 -and $npos -eq 0) {
        return $node.cmds | Where-Object { $_[0] -like "$cur*" } | ForEach-Object { & $result $_[0] 'Command' $_[1] }
    }
    & $values "$path|#$npos" $cur ''
}
`;
}
