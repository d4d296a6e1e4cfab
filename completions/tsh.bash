# bash completion for tsh                                  -*- shell-script -*-
# Generated from tsh's command tree by `npm run completions`; do not edit.
#
# Install (bash 4 or later):
#   source <(tsh completion bash)          # in ~/.bashrc
# or, with the bash-completion package:
#   tsh completion bash > ~/.local/share/bash-completion/completions/tsh

# __tsh_node PATH: one command of the tree, set in the caller's locals:
#   subs     its subcommands              aliases  ALIAS=NAME pairs
#   opts     every flag it takes          vopts    the flags followed by a value
#   appopt   the flag naming an app       apparg   the argument index naming an app
#   pass     1: after its first argument, the words belong to another program
__tsh_node() {
  subs='' aliases='' opts='' vopts='' appopt='' apparg=-1 pass=0
  case $1 in
    'tsh') subs='login logout status version apps aws proxy completion help'; aliases='app=apps'; opts='--proxy --user --insecure -d --debug --no-color --version -h --help'; vopts='--proxy --user' ;;
    'tsh login') opts='--proxy --user --insecure -d --debug --no-color --ttl -f --format -h --help'; vopts='--proxy --user --ttl -f --format' ;;
    'tsh logout') opts='--proxy --user --insecure -d --debug --no-color --force -h --help'; vopts='--proxy --user' ;;
    'tsh status') opts='--proxy --user --insecure -d --debug --no-color -f --format -h --help'; vopts='--proxy --user -f --format' ;;
    'tsh version') opts='--proxy --user --insecure -d --debug --no-color -f --format -h --help'; vopts='--proxy --user -f --format' ;;
    'tsh apps') subs='ls login logout config help'; opts='-h --help' ;;
    'tsh apps ls') opts='--proxy --user --insecure -d --debug --no-color -v --verbose -f --format -h --help'; vopts='--proxy --user -f --format' ;;
    'tsh apps login') opts='--proxy --user --insecure -d --debug --no-color --aws-role --ttl -q --quiet -f --format -h --help'; vopts='--proxy --user --aws-role --ttl -f --format'; apparg=0 ;;
    'tsh apps logout') opts='--proxy --user --insecure -d --debug --no-color -h --help'; vopts='--proxy --user'; apparg=0 ;;
    'tsh apps config') opts='--proxy --user --insecure -d --debug --no-color -f --format -h --help'; vopts='--proxy --user -f --format'; apparg=0 ;;
    'tsh apps help') opts='' ;;
    'tsh aws') subs='console'; opts='--app -e --endpoint-url --exec -h --help'; vopts='--app --exec'; appopt=--app; pass=1 ;;
    'tsh aws console') opts='--proxy --user --insecure -d --debug --no-color --app --aws-role --print -h --help'; vopts='--proxy --user --app --aws-role'; appopt=--app ;;
    'tsh proxy') subs='aws help'; opts='-h --help' ;;
    'tsh proxy aws') opts='--proxy --user --insecure -d --debug --no-color -p --port --app -e --endpoint-url -f --format -h --help'; vopts='--proxy --user -p --port --app -f --format'; appopt=--app ;;
    'tsh proxy help') opts='' ;;
    'tsh completion') opts='-h --help' ;;
    'tsh help') opts='' ;;
  esac
}

# __tsh_source 'PATH|FLAG' or 'PATH|#INDEX': where the values come from, in REPLY:
#   'w WORD...' these words, 'd SOURCE' `tsh __complete SOURCE [APP]`, 'f' file names, '' nothing known.
__tsh_source() {
  case $1 in
    'tsh login|-f'|'tsh login|--format') REPLY='w text json' ;;
    'tsh status|-f'|'tsh status|--format') REPLY='w text json yaml' ;;
    'tsh version|-f'|'tsh version|--format') REPLY='w text json' ;;
    'tsh apps ls|-f'|'tsh apps ls|--format') REPLY='w text json yaml' ;;
    'tsh apps login|--aws-role') REPLY='d roles' ;;
    'tsh apps login|-f'|'tsh apps login|--format') REPLY='w text json yaml' ;;
    'tsh apps login|#0') REPLY='d apps' ;;
    'tsh apps logout|#0') REPLY='d app-logins' ;;
    'tsh apps config|-f'|'tsh apps config|--format') REPLY='w text uri ca cert key curl json yaml' ;;
    'tsh apps config|#0') REPLY='d app-logins' ;;
    'tsh apps help|#0') REPLY='w ls login logout config' ;;
    'tsh aws|--app') REPLY='d app-logins' ;;
    'tsh aws console|--app') REPLY='d app-logins' ;;
    'tsh aws console|--aws-role') REPLY='d roles' ;;
    'tsh proxy aws|--app') REPLY='d app-logins' ;;
    'tsh proxy aws|-f'|'tsh proxy aws|--format') REPLY='w unix text command-prompt powershell fish json' ;;
    'tsh proxy help|#0') REPLY='w aws' ;;
    'tsh completion|#0') REPLY='w bash zsh fish powershell' ;;
    'tsh help|#0') REPLY='w login logout status version apps aws proxy completion' ;;
    *) REPLY='' ;;
  esac
}

# __tsh_add CUR PREFIX WORD...: adds PREFIX+WORD for each WORD starting with CUR.
# (Not compgen -W: it would expand $(...) in names read from files.)
__tsh_add() {
  local cur=$1 prefix=$2 w
  shift 2
  for w in "$@"; do
    [[ $w == "$cur"* ]] && COMPREPLY+=("$prefix$w")
  done
}

# __tsh_values KEY CUR [PREFIX]: completes a value of an option or argument.
__tsh_values() {
  local REPLY line
  local -a found=()
  __tsh_source "$1"
  case $REPLY in
    'w '*) read -ra found <<<"${REPLY#w }" ;;
    'd '*)
      local cmd=${words[0]}
      [[ $cmd == '~/'* ]] && cmd=$HOME/${cmd#'~/'}
      while IFS= read -r line; do
        line=${line%%$'\t'*}
        # Quoted as bash would read it back: a name is text, never code on the command line.
        [[ -n $line && $line == "$2"* ]] && printf -v line '%q' "$line" && COMPREPLY+=("${3-}$line")
      done < <("$cmd" __complete "${REPLY#d }" "$app" 2>/dev/null)
      return
      ;;
    f)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$2")
      return
      ;;
  esac
  __tsh_add "$2" "${3-}" "${found[@]}"
}

# __tsh_other PROGRAM FIRST: completes words[FIRST..] as a line of PROGRAM, with the completion
# bash has (or bash-completion can load) for it (e.g. `complete -C aws_completer aws`), else file names.
__tsh_other() {
  local other=$1 spec
  local -a args=("$other" "${words[@]:$2:cword-$2+1}")
  spec=$(complete -p "$other" 2>/dev/null)
  if [[ -z $spec ]] && declare -F __load_completion >/dev/null; then
    __load_completion "$other" && spec=$(complete -p "$other" 2>/dev/null)
  fi
  local COMP_WORDS=("${args[@]}") COMP_CWORD=$(( ${#args[@]} - 1 )) COMP_LINE="${args[*]}"
  local COMP_POINT=${#COMP_LINE}
  local cur=${args[COMP_CWORD]} prev=${args[COMP_CWORD-1]} handler
  case $spec in
    *' -F '*)
      handler=${spec#* -F }
      "${handler%% *}" "$other" "$cur" "$prev"
      ;;
    *' -C '*)
      handler=${spec#* -C }
      handler=${handler% "$other"}
      handler=${handler#\'}; handler=${handler%\'}
      mapfile -t COMPREPLY < <(COMP_LINE=$COMP_LINE COMP_POINT=$COMP_POINT "$handler" "$other" "$cur" "$prev" 2>/dev/null)
      ;;
    *)
      # No completion for it: file names, as bash offers for any command it knows nothing about.
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      ;;
  esac
}

# _tsh: the completion function. It reads the line up to the cursor (COMP_LINE, COMP_POINT),
# so values with ':' or '=' (role ARNs, --format=json) stay whole, whatever COMP_WORDBREAKS holds.
_tsh() {
  local -a words=()
  local line
  if [[ -n ${COMP_LINE-} ]]; then
    line=${COMP_LINE:0:COMP_POINT}
    read -ra words <<<"$line"
    [[ ${#words[@]} -eq 0 || $line == *[[:space:]] ]] && words+=('')
  else
    words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
  fi
  local cword=$(( ${#words[@]} - 1 ))
  local cur=${words[cword]}
  COMPREPLY=()

  local subs aliases opts vopts appopt apparg pass
  local path=tsh i=1 w a sub npos=0 app='' optapp='' valopt='' first=-1
  __tsh_node "$path"
  while (( i < cword )); do
    w=${words[i]}
    case $w in
      --*=*)
        [[ -n $appopt && ${w%%=*} == "$appopt" ]] && optapp=${w#*=}
        ;;
      -?*)
        if [[ " $vopts " == *" $w "* ]]; then
          if (( i + 1 == cword )); then valopt=$w; break; fi
          (( i++ ))
          [[ $w == "$appopt" ]] && optapp=${words[i]}
        fi
        ;;
      *)
        sub=''
        if (( npos == 0 )); then
          [[ " $subs " == *" $w "* ]] && sub=$w
          for a in $aliases; do [[ ${a%%=*} == "$w" ]] && sub=${a#*=}; done
        fi
        if [[ -n $sub ]]; then
          path+=" $sub"
          __tsh_node "$path"
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
    __tsh_values "$path|$valopt" "$cur"
  elif (( pass )) && { (( first >= 0 )) || [[ $cur != -* ]]; }; then
    (( first < 0 )) && first=$cword
    __tsh_other "${path##* }" "$first"
    # The first word may also be one of our own subcommands (`tsh aws console`).
    (( first == cword )) && __tsh_add "$cur" '' $subs
    return 0
  elif [[ $cur == --*=* && " $vopts " == *" ${cur%%=*} "* ]]; then
    __tsh_values "$path|${cur%%=*}" "${cur#*=}" "${cur%%=*}="
  elif [[ $cur == -* ]]; then
    __tsh_add "$cur" '' $opts
  elif [[ -n $subs ]] && (( npos == 0 )); then
    __tsh_add "$cur" '' $subs
  else
    __tsh_values "$path|#$npos" "$cur"
  fi

  # bash replaces only the text after the last COMP_WORDBREAKS character: drop what is before it.
  local breaks='' keep i
  [[ $COMP_WORDBREAKS == *:* ]] && breaks+=':'
  [[ $COMP_WORDBREAKS == *=* ]] && breaks+='='
  if [[ -n $breaks && $cur == *["$breaks"]* ]]; then
    keep=${cur%"${cur##*["$breaks"]}"}
    for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=${COMPREPLY[i]#"$keep"}; done
  fi
  return 0
}

complete -F _tsh tsh
