/**
 * The bash completion script: the command tree as two `case` tables (one for
 * commands, one for where values come from) and a small engine that walks
 * the line through them. bash has no declarative completion system, so the
 * engine is ours; it needs nothing but bash 4 (no bash-completion package).
 */
import { optionFlags, walkNodes, type CompletionNode, type ValueSource } from './model.js';
import { plainWord, shQuote } from './quote.js';

const words = (xs: string[]) => xs.map(plainWord).join(' ');

function valueCode(v: ValueSource): string | undefined {
  switch (v.type) {
    case 'words':
      return `w ${words(v.words)}`;
    case 'dynamic':
      return `d ${v.source}`;
    case 'files':
      return 'f';
    case 'none':
      return undefined;
  }
}

/** The bash completion script for a program's tree (`root` is the program itself). */
export function renderBash(root: CompletionNode): string {
  const p = plainWord(root.name);
  const fn = p.replace(/\W/g, '_');
  const key = (n: CompletionNode) => [p, ...n.path].join(' ');
  const nodes = walkNodes(root);
  const usesDynamic = nodes.some((n) => [...n.options.map((o) => o.values), ...n.arguments.map((a) => a.values)].some((v) => v.type === 'dynamic'));
  const usesPassThrough = nodes.some((n) => n.passThrough);

  const nodeCases = nodes.map((n) => {
    const sets: string[] = [];
    const subs = n.commands.map((c) => c.name);
    if (subs.length) sets.push(`subs=${shQuote(words(subs))}`);
    const aliases = n.commands.flatMap((c) => c.aliases.map((a) => `${a}=${c.name}`));
    if (aliases.length) sets.push(`aliases=${shQuote(words(aliases))}`);
    sets.push(`opts=${shQuote(words(n.options.flatMap(optionFlags)))}`);
    const vopts = n.options.filter((o) => o.takesValue).flatMap(optionFlags);
    if (vopts.length) sets.push(`vopts=${shQuote(words(vopts))}`);
    if (n.appFrom.option) sets.push(`appopt=${n.appFrom.option}`);
    if (n.appFrom.argument !== undefined) sets.push(`apparg=${n.appFrom.argument}`);
    if (n.passThrough) sets.push('pass=1');
    return `    ${shQuote(key(n))}) ${sets.join('; ')} ;;`;
  });

  const valueCases: string[] = [];
  for (const n of nodes) {
    for (const o of n.options) {
      const code = o.takesValue ? valueCode(o.values) : undefined;
      if (code) valueCases.push(`    ${optionFlags(o).map((f) => shQuote(`${key(n)}|${f}`)).join('|')}) REPLY=${shQuote(code)} ;;`);
    }
    n.arguments.forEach((a, i) => {
      const code = valueCode(a.values);
      if (!code || n.passThrough) return;
      valueCases.push(`    ${shQuote(`${key(n)}|#${a.variadic ? '' : i}`)}${a.variadic ? '*' : ''}) REPLY=${shQuote(code)} ;;`);
    });
  }

  return `# bash completion for ${p}                                  -*- shell-script -*-
# Generated from ${p}'s command tree by \`npm run completions\`; do not edit.
#
# Install (bash 4 or later):
#   source <(${p} completion bash)          # in ~/.bashrc
# or, with the bash-completion package:
#   ${p} completion bash > ~/.local/share/bash-completion/completions/${p}

# __${fn}_node PATH: one command of the tree, set in the caller's locals:
#   subs     its subcommands              aliases  ALIAS=NAME pairs
#   opts     every flag it takes          vopts    the flags followed by a value
#   appopt   the flag naming an app       apparg   the argument index naming an app
#   pass     1: after its first argument, the words belong to another program
__${fn}_node() {
  subs='' aliases='' opts='' vopts='' appopt='' apparg=-1 pass=0
  case $1 in
${nodeCases.join('\n')}
  esac
}

# __${fn}_source 'PATH|FLAG' or 'PATH|#INDEX': where the values come from, in REPLY:
#   'w WORD...' these words, 'd SOURCE' \`${p} __complete SOURCE [APP]\`, 'f' file names, '' nothing known.
__${fn}_source() {
  case $1 in
${valueCases.join('\n')}
    *) REPLY='' ;;
  esac
}

# __${fn}_add CUR PREFIX WORD...: adds PREFIX+WORD for each WORD starting with CUR.
# (Not compgen -W: it would expand $(...) in names read from files.)
__${fn}_add() {
  local cur=$1 prefix=$2 w
  shift 2
  for w in "$@"; do
    [[ $w == "$cur"* ]] && COMPREPLY+=("$prefix$w")
  done
}

# __${fn}_values KEY CUR [PREFIX]: completes a value of an option or argument.
__${fn}_values() {
  local REPLY line
  local -a found=()
  __${fn}_source "$1"
  case $REPLY in
    'w '*) read -ra found <<<"\${REPLY#w }" ;;${usesDynamic ? `
    'd '*)
      local cmd=\${words[0]}
      [[ $cmd == '~/'* ]] && cmd=$HOME/\${cmd#'~/'}
      while IFS= read -r line; do
        line=\${line%%$'\\t'*}
        # Quoted as bash would read it back: a name is text, never code on the command line.
        [[ -n $line && $line == "$2"* ]] && printf -v line '%q' "$line" && COMPREPLY+=("\${3-}$line")
      done < <("$cmd" __complete "\${REPLY#d }" "$app" 2>/dev/null)
      return
      ;;` : ''}
    f)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$2")
      return
      ;;
  esac
  __${fn}_add "$2" "\${3-}" "\${found[@]}"
}
${usesPassThrough ? `
# __${fn}_other PROGRAM FIRST: completes words[FIRST..] as a line of PROGRAM, with the completion
# bash has (or bash-completion can load) for it (e.g. \`complete -C aws_completer aws\`), else file names.
__${fn}_other() {
  local other=$1 spec
  local -a args=("$other" "\${words[@]:$2:cword-$2+1}")
  spec=$(complete -p "$other" 2>/dev/null)
  if [[ -z $spec ]] && declare -F __load_completion >/dev/null; then
    __load_completion "$other" && spec=$(complete -p "$other" 2>/dev/null)
  fi
  local COMP_WORDS=("\${args[@]}") COMP_CWORD=$(( \${#args[@]} - 1 )) COMP_LINE="\${args[*]}"
  local COMP_POINT=\${#COMP_LINE}
  local cur=\${args[COMP_CWORD]} prev=\${args[COMP_CWORD-1]} handler
  case $spec in
    *' -F '*)
      handler=\${spec#* -F }
      "\${handler%% *}" "$other" "$cur" "$prev"
      ;;
    *' -C '*)
      handler=\${spec#* -C }
      handler=\${handler% "$other"}
      handler=\${handler#\\'}; handler=\${handler%\\'}
      mapfile -t COMPREPLY < <(COMP_LINE=$COMP_LINE COMP_POINT=$COMP_POINT "$handler" "$other" "$cur" "$prev" 2>/dev/null)
      ;;
    *)
      # No completion for it: file names, as bash offers for any command it knows nothing about.
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      ;;
  esac
}
` : ''}
# _${fn}: the completion function. It reads the line up to the cursor (COMP_LINE, COMP_POINT),
# so values with ':' or '=' (role ARNs, --format=json) stay whole, whatever COMP_WORDBREAKS holds.
_${fn}() {
  local -a words=()
  local line
  if [[ -n \${COMP_LINE-} ]]; then
    line=\${COMP_LINE:0:COMP_POINT}
    read -ra words <<<"$line"
    [[ \${#words[@]} -eq 0 || $line == *[[:space:]] ]] && words+=('')
  else
    words=("\${COMP_WORDS[@]:0:COMP_CWORD+1}")
  fi
  local cword=$(( \${#words[@]} - 1 ))
  local cur=\${words[cword]}
  COMPREPLY=()

  local subs aliases opts vopts appopt apparg pass
  local path=${p} i=1 w a sub npos=0 app='' optapp='' valopt='' first=-1
  __${fn}_node "$path"
  while (( i < cword )); do
    w=\${words[i]}
    case $w in
      --*=*)
        [[ -n $appopt && \${w%%=*} == "$appopt" ]] && optapp=\${w#*=}
        ;;
      -?*)
        if [[ " $vopts " == *" $w "* ]]; then
          if (( i + 1 == cword )); then valopt=$w; break; fi
          (( i++ ))
          [[ $w == "$appopt" ]] && optapp=\${words[i]}
        fi
        ;;
      *)
        sub=''
        if (( npos == 0 )); then
          [[ " $subs " == *" $w "* ]] && sub=$w
          for a in $aliases; do [[ \${a%%=*} == "$w" ]] && sub=\${a#*=}; done
        fi
        if [[ -n $sub ]]; then
          path+=" $sub"
          __${fn}_node "$path"
        else
          (( npos == apparg )) && app=$w
          (( npos++ ))
          if (( pass )); then first=$i; break; fi
        fi
        ;;
    esac
    (( i++ ))
  done
  [[ -z $app ]] && app=$optapp

  if [[ -n $valopt ]]; then
    __${fn}_values "$path|$valopt" "$cur"${usesPassThrough ? `
  elif (( pass )) && { (( first >= 0 )) || [[ $cur != -* ]]; }; then
    (( first < 0 )) && first=$cword
    __${fn}_other "\${path##* }" "$first"
    # The first word may also be one of our own subcommands (\`${p} aws console\`).
    (( first == cword )) && __${fn}_add "$cur" '' $subs
    return 0` : ''}
  elif [[ $cur == --*=* && " $vopts " == *" \${cur%%=*} "* ]]; then
    __${fn}_values "$path|\${cur%%=*}" "\${cur#*=}" "\${cur%%=*}="
  elif [[ $cur == -* ]]; then
    __${fn}_add "$cur" '' $opts
  elif [[ -n $subs ]] && (( npos == 0 )); then
    __${fn}_add "$cur" '' $subs
  else
    __${fn}_values "$path|#$npos" "$cur"
  fi

  # bash replaces only the text after the last COMP_WORDBREAKS character: drop what is before it.
  local breaks='' keep i
  [[ $COMP_WORDBREAKS == *:* ]] && breaks+=':'
  [[ $COMP_WORDBREAKS == *=* ]] && breaks+='='
  if [[ -n $breaks && $cur == *["$breaks"]* ]]; then
    keep=\${cur%"\${cur##*["$breaks"]}"}
    for i in "\${!COMPREPLY[@]}"; do COMPREPLY[i]=\${COMPREPLY[i]#"$keep"}; done
  fi
  return 0
}

complete -F _${fn} ${p}
`;
}
