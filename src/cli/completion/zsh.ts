/**
 * The zsh completion script: one `_arguments` function per command, the way
 * zsh's own completions are written, so zsh does the parsing (stacked short
 * flags, `--format=json`, options already given, descriptions) and we only
 * describe the tree. Works autoloaded from $fpath or sourced after compinit.
 */
import { optionFlags, walkNodes, type CompletionNode, type CompletionOption, type ValueSource } from './model.js';
import { plainWord, shQuote } from './quote.js';

/** Text inside `[...]` of an _arguments spec. */
const bracket = (s: string) => s.replace(/\\/g, '\\\\').replace(/\[/g, '\\[').replace(/\]/g, '\\]');
/** A message or value between colons of an _arguments spec. */
const colon = (s: string) => s.replace(/\\/g, '\\\\').replace(/:/g, '\\:');

/**
 * The action completing one value. Functions go in `{...}` so _arguments runs them as written
 * (a bare function name would get compadd options inserted before our arguments); `->roles`
 * hands role values to the function's state machine, where `line` holds the app argument.
 */
function action(v: ValueSource, fn: string): string {
  switch (v.type) {
    case 'words':
      return `(${v.words.map((w) => colon(plainWord(w))).join(' ')})`;
    case 'files':
      return '_files';
    case 'dynamic':
      return v.source === 'roles' ? '->roles' : `{_${fn}__values ${v.source}}`;
    case 'none':
      return ' ';
  }
}

function optionSpecs(o: CompletionOption, fn: string): string[] {
  const flags = optionFlags(o);
  const exclusive = flags.length > 1 ? `(${flags.join(' ')})` : '';
  const value = o.takesValue ? `:${colon(o.valueName || 'value')}:${action(o.values, fn)}` : '';
  return flags.map((f) => {
    const takes = o.takesValue ? (f.startsWith('--') ? '=' : '+') : '';
    return shQuote(`${exclusive}${f}${takes}[${bracket(o.description)}]${value}`);
  });
}

/** The function name of a node: `_tsh`, `_tsh__apps__login`. */
function functionName(fn: string, n: CompletionNode): string {
  return ['_' + fn, ...n.path.map((p) => p.replace(/[^\w-]/g, '_'))].join('__');
}

function nodeFunction(fn: string, program: string, n: CompletionNode): string {
  const specs = n.options.flatMap((o) => optionSpecs(o, fn));
  const states: string[] = [];
  if (n.commands.length && n.passThrough) {
    // The first word is one of our subcommands or the other program's (`tsh aws console`, `tsh aws s3`).
    specs.push(shQuote('(-)*:: :->argument'));
    const list = n.commands.map((c) => `          ${shQuote(`${colon(c.name)}:${c.description}`)}`);
    const cases = n.commands.map((c) => `          (${[c.name, ...c.aliases].map(plainWord).join('|')}) curcontext=\${curcontext%:*:*}:${[program, ...n.path].join('-')}-$words[1]:; ${functionName(fn, c)} && ret=0 ;;`);
    states.push(
      `    (argument)
      if (( CURRENT == 1 )); then
        local -a commands=(
${list.join('\n')}
        )
        _describe -t commands ${shQuote([program, ...n.path, 'command'].join(' '))} commands && ret=0
        _${fn}__other ${n.name} && ret=0
      else
        case $words[1] in
${cases.join('\n')}
          (*) _${fn}__other ${n.name} && ret=0 ;;
        esac
      fi
      ;;`,
    );
  } else if (n.commands.length) {
    specs.push(shQuote('(-): :->command'), shQuote('(-)*:: :->argument'));
    const list = n.commands.map((c) => `        ${shQuote(`${colon(c.name)}:${c.description}`)}`);
    const cases = n.commands.map((c) => `        (${[c.name, ...c.aliases].map(plainWord).join('|')}) ${functionName(fn, c)} && ret=0 ;;`);
    states.push(
      `    (command)
      local -a commands=(
${list.join('\n')}
      )
      _describe -t commands ${shQuote([program, ...n.path, 'command'].join(' '))} commands && ret=0
      ;;
    (argument)
      curcontext=\${curcontext%:*:*}:${[program, ...n.path].join('-')}-$words[1]:
      case $words[1] in
${cases.join('\n')}
      esac
      ;;`,
    );
  } else {
    n.arguments.forEach((a) => {
      const msg = colon(a.name);
      if (n.passThrough && a.variadic) specs.push(shQuote(`*::${msg}:{_${fn}__other ${n.name}}`));
      else if (a.variadic) specs.push(shQuote(`*:${msg}:${action(a.values, fn)}`));
      else specs.push(shQuote(`${a.required ? ':' : '::'}${msg}:${action(a.values, fn)}`));
    });
  }
  if ([...n.options.map((o) => o.values), ...n.arguments.map((a) => a.values)].some((v) => v.type === 'dynamic' && v.source === 'roles')) {
    const app = [
      ...(n.appFrom.argument !== undefined ? [`\${line[${n.appFrom.argument + 1}]-}`] : []),
      ...(n.appFrom.option ? [`\${opt_args[${n.appFrom.option}]-}`] : []),
    ];
    const appExpr = app.length === 2 ? `\${\${line[${n.appFrom.argument! + 1}]-}:-\${opt_args[${n.appFrom.option}]-}}` : (app[0] ?? '');
    states.push(`    (roles)
      _${fn}__values roles "${appExpr}" && ret=0
      ;;`);
  }
  const head = n.path.length === 0 ? `  local _${fn}_prog=\${_${fn}_prog:-$words[1]}\n` : '';
  const flags = n.passThrough ? `-C -s -S -A '-*'` : '-C -s -S';
  return `# ${[program, ...n.path].join(' ')}${n.description ? `: ${n.description}` : ''}
${functionName(fn, n)}() {
${head}  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments ${flags} : \\
${specs.map((s) => `    ${s}`).join(' \\\n')} \\
    && ret=0
${states.length ? `  case $state in\n${states.join('\n')}\n  esac\n` : ''}  return ret
}`;
}

/** The zsh completion script for a program's tree (`root` is the program itself). */
export function renderZsh(root: CompletionNode): string {
  const p = plainWord(root.name);
  const fn = p.replace(/\W/g, '_');
  const nodes = walkNodes(root);
  const usesDynamic = nodes.some((n) => [...n.options.map((o) => o.values), ...n.arguments.map((a) => a.values)].some((v) => v.type === 'dynamic'));
  const usesPassThrough = nodes.some((n) => n.passThrough);
  return `#compdef ${p}
# zsh completion for ${p}. Generated from ${p}'s command tree by \`npm run completions\`; do not edit.
#
# Install:
#   ${p} completion zsh > ~/.zfunc/_${p}    # with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc
# or:
#   source <(${p} completion zsh)           # in ~/.zshrc, after compinit
${usesDynamic ? `
# _${fn}__values SOURCE [APP]: app or IAM role names from \`${p} __complete\`, which reads
# only local files (the profile and the last \`${p} apps ls\` under TELEPORT_HOME).
_${fn}__values() {
  local -a lines items
  local line value prog=\${_${fn}_prog:-${p}}
  [[ $prog == '~/'* ]] && prog=$HOME/\${prog#'~/'}
  lines=(\${(f)"$(_call_program $1 \${(q)prog} __complete \${(q)1} \${(q)2-} 2>/dev/null)"})
  for line in $lines; do
    value=\${\${line%%$'\\t'*}//:/\\\\:}
    if [[ $line == *$'\\t'* ]]; then items+=("$value:\${line#*$'\\t'}"); else items+=("$value"); fi
  done
  local descr=app
  [[ $1 == roles ]] && descr='IAM role'
  _describe -t $1 $descr items
}
` : ''}${usesPassThrough ? `
# _${fn}__other PROGRAM: the words left belong to PROGRAM (\`${p} aws s3 ls\` is \`aws s3 ls\`):
# complete them with whatever completion zsh has for it.
_${fn}__other() {
  words=($1 "\${words[@]}")
  (( CURRENT++ ))
  _normal
}
` : ''}
${nodes.map((n) => nodeFunction(fn, p, n)).join('\n\n')}

if [[ \${funcstack[1]-} == _${fn} ]]; then
  _${fn} "$@"
elif (( $+functions[compdef] )); then
  compdef _${fn} ${p}
else
  print -u2 '${p} completion: run compinit before sourcing it (autoload -Uz compinit && compinit)'
fi
`;
}
