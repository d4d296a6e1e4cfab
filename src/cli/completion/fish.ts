/**
 * The fish completion script: fish's own `complete` entries (so fish does the
 * option parsing, `--format=json`, descriptions and fuzzy matching), each
 * guarded by `__PROG_at PATH`, a function that walks the line to find the
 * command being typed. Nested subcommands need that walk: fish's helpers only
 * know "a subcommand was seen", not where in the tree the line is.
 */
import { optionFlags, walkNodes, type CompletionNode, type CompletionOption, type ValueSource } from './model.js';
import { fishQuote, plainWord } from './quote.js';

const words = (xs: string[]) => xs.map(plainWord).join(' ');

/** The `complete` flags that make fish offer these values. */
function valueFlags(v: ValueSource, fn: string): string {
  switch (v.type) {
    case 'words':
      return `-f -a ${fishQuote(words(v.words))}`;
    case 'dynamic':
      return `-f -a ${fishQuote(`(__${fn}_values ${v.source})`)}`;
    case 'files':
      return '-F';
    case 'none':
      return '-f';
  }
}

function optionEntry(prog: string, fn: string, key: string, o: CompletionOption): string {
  const parts = [`complete -c ${prog} -n "__${fn}_at '${key}'"`];
  if (o.short) parts.push(`-s ${o.short.slice(1)}`);
  if (o.long) parts.push(`-l ${o.long.slice(2)}`);
  if (o.takesValue) {
    if (o.values.type === 'files') parts.push('-r -F');
    else parts.push('-x', valueFlags(o.values, fn).replace(/^-f ?/, '')); // -x: a value follows, not a file
  }
  parts.push(`-d ${fishQuote(o.description)}`);
  return parts.filter(Boolean).join(' ');
}

/** The fish completion script for a program's tree (`root` is the program itself). */
export function renderFish(root: CompletionNode): string {
  const p = plainWord(root.name);
  const fn = p.replace(/\W/g, '_');
  const nodes = walkNodes(root);
  const key = (n: CompletionNode) => [p, ...n.path].join(' ');
  const usesDynamic = nodes.some((n) => [...n.options.map((o) => o.values), ...n.arguments.map((a) => a.values)].some((v) => v.type === 'dynamic'));
  const usesPassThrough = nodes.some((n) => n.passThrough);

  const nodeCases = nodes.map((n) => {
    const sets = [`        case ${fishQuote(key(n))}`];
    if (n.commands.length) sets.push(`            set subs ${words(n.commands.map((c) => c.name))}`);
    const aliases = n.commands.flatMap((c) => c.aliases.map((a) => `${a}=${c.name}`));
    if (aliases.length) sets.push(`            set aliases ${words(aliases)}`);
    const vopts = n.options.filter((o) => o.takesValue).flatMap(optionFlags);
    if (vopts.length) sets.push(`            set vopts ${words(vopts)}`);
    if (n.appFrom.option) sets.push(`            set appopt ${plainWord(n.appFrom.option)}`);
    if (n.appFrom.argument !== undefined) sets.push(`            set apparg ${n.appFrom.argument}`);
    if (n.passThrough) sets.push('            set pass 1');
    return sets.join('\n');
  });

  const entries: string[] = [];
  for (const n of nodes) {
    const k = key(n);
    const lines: string[] = [];
    for (const c of n.commands) lines.push(`complete -c ${p} -n "__${fn}_at '${k}' 0" -f -a ${plainWord(c.name)} -d ${fishQuote(c.description)}`);
    for (const o of n.options) lines.push(optionEntry(p, fn, k, o));
    n.arguments.forEach((a, i) => {
      if (n.passThrough && a.variadic) {
        lines.push(`complete -c ${p} -n "__${fn}_at '${k}' 0; or __${fn}_at '${k} --'" -f -a ${fishQuote(`(__${fn}_other ${n.name})`)}`);
        return;
      }
      if (a.values.type === 'none') return;
      lines.push(`complete -c ${p} -n "__${fn}_at '${k}' ${i}${a.variadic ? '+' : ''}" ${valueFlags(a.values, fn)} -d ${fishQuote(a.description || a.name)}`);
    });
    if (lines.length) entries.push(`# ${k}\n${lines.join('\n')}`);
  }

  return `# fish completion for ${p}. Generated from ${p}'s command tree by \`npm run completions\`; do not edit.
#
# Install:
#   ${p} completion fish > ~/.config/fish/completions/${p}.fish

# __${fn}_node PATH: one command of the tree, set in the caller's variables (the function shares its scope):
#   subs     its subcommands              aliases  ALIAS=NAME pairs
#   vopts    the flags followed by a value
#   appopt   the flag naming an app       apparg   the argument index naming an app
#   pass     1: after its first argument, the words belong to another program
function __${fn}_node --no-scope-shadowing
    set subs
    set aliases
    set vopts
    set appopt
    set apparg -1
    set pass 0
    switch $argv[1]
${nodeCases.join('\n')}
    end
end

# __${fn}_state: where the line before the cursor stands, in four lines:
#   the command path ("${p} apps login"; with " --" appended once the words belong to another program),
#   how many arguments it has so far ("-" while the cursor is on a flag's value),
#   the app named on the line, and the index of the first word belonging to another program (0: none).
function __${fn}_state
    set -l tokens (commandline -opc)
    set -l subs
    set -l aliases
    set -l vopts
    set -l appopt
    set -l apparg
    set -l pass
    set -l path ${p}
    __${fn}_node $path
    set -l npos 0
    set -l app
    set -l optapp
    set -l first 0
    set -l skip
    set -l i 1
    for t in $tokens[2..-1]
        set i (math $i + 1)
        if test -n "$skip"
            test "$skip" = "$appopt"; and set optapp $t
            set skip
            continue
        end
        switch $t
            case '--*=*'
                test -n "$appopt"; and string match -q -- "$appopt=*" $t; and set optapp (string replace -- "$appopt=" '' $t)
            case '-?*'
                contains -- $t $vopts; and set skip $t
            case '*'
                set -l sub
                if test $npos = 0
                    contains -- $t $subs; and set sub $t
                    for a in $aliases
                        string match -q -- "$t=*" $a; and set sub (string replace -- "$t=" '' $a)
                    end
                end
                if test -n "$sub"
                    set path "$path $sub"
                    __${fn}_node $path
                else
                    test $npos = $apparg; and set app $t
                    set npos (math $npos + 1)
                    if test $pass = 1
                        set first $i
                        break
                    end
                end
        end
    end
    test -n "$app"; or set app $optapp
    test $first -gt 0; and set path "$path --"
    test -n "$skip"; and set npos -
    printf '%s\\n' "$path" $npos "$app" $first
end

# __${fn}_at PATH [N|N+]: true when the line is at command PATH (with N, or at least N, arguments so far).
function __${fn}_at
    set -l s (__${fn}_state)
    test "$s[1]" = "$argv[1]"; or return 1
    set -q argv[2]; or return 0
    test "$s[2]" != -; or return 1
    if string match -q -- '*+' $argv[2]
        test $s[2] -ge (string replace -- + '' $argv[2])
    else
        test $s[2] = $argv[2]
    end
end
${usesDynamic ? `
# __${fn}_values SOURCE: app or IAM role names from \`${p} __complete\`, which reads only local
# files (the profile and the last \`${p} apps ls\` under TELEPORT_HOME); roles of the app on the line.
function __${fn}_values
    set -l s (__${fn}_state)
    set -l cmd (commandline -opc)[1]
    command $cmd __complete $argv[1] "$s[3]" 2>/dev/null
end
` : ''}${usesPassThrough ? `
# __${fn}_other PROGRAM: the words after \`${p} aws [its flags]\` are a PROGRAM command line
# (\`${p} aws s3 ls\` is \`aws s3 ls\`): complete them with fish's completions for PROGRAM.
function __${fn}_other
    set -l s (__${fn}_state)
    set -l cur (commandline -ct)
    # Before the first word of PROGRAM, flags are ours (offered by the entries above).
    test $s[4] = 0; and string match -q -- '-*' $cur; and return
    set -l tokens (commandline -opc)
    set -l words
    test $s[4] -gt 0; and set words $tokens[$s[4]..-1]
    set -l line $argv[1] (string escape -- $words)
    complete -C "$line $cur"
end
` : ''}
complete -c ${p} -e
complete -c ${p} -f

${entries.join('\n\n')}
`;
}
