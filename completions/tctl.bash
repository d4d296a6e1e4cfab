# bash completion for tctl                                  -*- shell-script -*-
# Generated from tctl's command tree by `npm run completions`; do not edit.
#
# Install (bash 4 or later):
#   source <(tctl completion bash)          # in ~/.bashrc
# or, with the bash-completion package:
#   tctl completion bash > ~/.local/share/bash-completion/completions/tctl

# __tctl_node PATH: one command of the tree, set in the caller's locals:
#   subs     its subcommands              aliases  ALIAS=NAME pairs
#   opts     every flag it takes          vopts    the flags followed by a value
#   appopt   the flag naming an app       apparg   the argument index naming an app
#   pass     1: after its first argument, the words belong to another program
__tctl_node() {
  subs='' aliases='' opts='' vopts='' appopt='' apparg=-1 pass=0
  case $1 in
    'tctl') subs='status create get rm lock locks users tokens proxies apps audit completion version help'; opts='-c --config --proxy --insecure -d --debug --no-color --version -h --help'; vopts='-c --config --proxy' ;;
    'tctl status') opts='-c --config --proxy --insecure -d --debug --no-color -f --format -h --help'; vopts='-c --config --proxy -f --format' ;;
    'tctl create') opts='-c --config --proxy --insecure -d --debug --no-color -f --force -h --help'; vopts='-c --config --proxy' ;;
    'tctl get') opts='-c --config --proxy --insecure -d --debug --no-color -f --format -h --help'; vopts='-c --config --proxy -f --format' ;;
    'tctl rm') opts='-c --config --proxy --insecure -d --debug --no-color -h --help'; vopts='-c --config --proxy' ;;
    'tctl lock') opts='-c --config --proxy --insecure -d --debug --no-color --user --role --message --ttl --expires -h --help'; vopts='-c --config --proxy --user --role --message --ttl --expires' ;;
    'tctl locks') subs='ls help'; opts='-h --help' ;;
    'tctl locks ls') opts='-c --config --proxy --insecure -d --debug --no-color -f --format -h --help'; vopts='-c --config --proxy -f --format' ;;
    'tctl locks help') opts='' ;;
    'tctl users') subs='add update ls rm reset help'; opts='-h --help' ;;
    'tctl users add') opts='-c --config --proxy --insecure -d --debug --no-color --roles --aws-role-arns -f --format -h --help'; vopts='-c --config --proxy --roles --aws-role-arns -f --format' ;;
    'tctl users update') opts='-c --config --proxy --insecure -d --debug --no-color --set-roles --set-aws-role-arns -h --help'; vopts='-c --config --proxy --set-roles --set-aws-role-arns' ;;
    'tctl users ls') opts='-c --config --proxy --insecure -d --debug --no-color -f --format -h --help'; vopts='-c --config --proxy -f --format' ;;
    'tctl users rm') opts='-c --config --proxy --insecure -d --debug --no-color -h --help'; vopts='-c --config --proxy' ;;
    'tctl users reset') opts='-c --config --proxy --insecure -d --debug --no-color -f --format -h --help'; vopts='-c --config --proxy -f --format' ;;
    'tctl users help') opts='' ;;
    'tctl tokens') subs='add ls rm help'; opts='-h --help' ;;
    'tctl tokens add') opts='-c --config --proxy --insecure -d --debug --no-color --type --app-name --app-uri --ttl --format -h --help'; vopts='-c --config --proxy --type --app-name --app-uri --ttl --format' ;;
    'tctl tokens ls') opts='-c --config --proxy --insecure -d --debug --no-color -f --format -h --help'; vopts='-c --config --proxy -f --format' ;;
    'tctl tokens rm') opts='-c --config --proxy --insecure -d --debug --no-color -h --help'; vopts='-c --config --proxy' ;;
    'tctl tokens help') opts='' ;;
    'tctl proxies') subs='ls help'; opts='-h --help' ;;
    'tctl proxies ls') opts='-c --config --proxy --insecure -d --debug --no-color -f --format -h --help'; vopts='-c --config --proxy -f --format' ;;
    'tctl proxies help') opts='' ;;
    'tctl apps') subs='ls help'; opts='-h --help' ;;
    'tctl apps ls') opts='-c --config --proxy --insecure -d --debug --no-color -f --format -h --help'; vopts='-c --config --proxy -f --format' ;;
    'tctl apps help') opts='' ;;
    'tctl audit') subs='events help'; opts='-h --help' ;;
    'tctl audit events') opts='-c --config --proxy --insecure -d --debug --no-color --since --type --limit -f --format -h --help'; vopts='-c --config --proxy --since --type --limit -f --format' ;;
    'tctl audit help') opts='' ;;
    'tctl completion') opts='-h --help' ;;
    'tctl version') opts='-c --config --proxy --insecure -d --debug --no-color -f --format -h --help'; vopts='-c --config --proxy -f --format' ;;
    'tctl help') opts='' ;;
  esac
}

# __tctl_source 'PATH|FLAG' or 'PATH|#INDEX': where the values come from, in REPLY:
#   'w WORD...' these words, 'd SOURCE' `tctl __complete SOURCE [APP]`, 'f' file names, '' nothing known.
__tctl_source() {
  case $1 in
    'tctl|-c'|'tctl|--config') REPLY='f' ;;
    'tctl status|-c'|'tctl status|--config') REPLY='f' ;;
    'tctl status|-f'|'tctl status|--format') REPLY='w text json yaml' ;;
    'tctl create|-c'|'tctl create|--config') REPLY='f' ;;
    'tctl create|#0') REPLY='f' ;;
    'tctl get|-c'|'tctl get|--config') REPLY='f' ;;
    'tctl get|-f'|'tctl get|--format') REPLY='w yaml json text' ;;
    'tctl rm|-c'|'tctl rm|--config') REPLY='f' ;;
    'tctl lock|-c'|'tctl lock|--config') REPLY='f' ;;
    'tctl locks ls|-c'|'tctl locks ls|--config') REPLY='f' ;;
    'tctl locks ls|-f'|'tctl locks ls|--format') REPLY='w text json yaml' ;;
    'tctl locks help|#0') REPLY='w ls' ;;
    'tctl users add|-c'|'tctl users add|--config') REPLY='f' ;;
    'tctl users add|-f'|'tctl users add|--format') REPLY='w text json' ;;
    'tctl users update|-c'|'tctl users update|--config') REPLY='f' ;;
    'tctl users ls|-c'|'tctl users ls|--config') REPLY='f' ;;
    'tctl users ls|-f'|'tctl users ls|--format') REPLY='w text json yaml' ;;
    'tctl users rm|-c'|'tctl users rm|--config') REPLY='f' ;;
    'tctl users reset|-c'|'tctl users reset|--config') REPLY='f' ;;
    'tctl users reset|-f'|'tctl users reset|--format') REPLY='w text json' ;;
    'tctl users help|#0') REPLY='w add update ls rm reset' ;;
    'tctl tokens add|-c'|'tctl tokens add|--config') REPLY='f' ;;
    'tctl tokens add|--format') REPLY='w text json' ;;
    'tctl tokens ls|-c'|'tctl tokens ls|--config') REPLY='f' ;;
    'tctl tokens ls|-f'|'tctl tokens ls|--format') REPLY='w text json yaml' ;;
    'tctl tokens rm|-c'|'tctl tokens rm|--config') REPLY='f' ;;
    'tctl tokens help|#0') REPLY='w add ls rm' ;;
    'tctl proxies ls|-c'|'tctl proxies ls|--config') REPLY='f' ;;
    'tctl proxies ls|-f'|'tctl proxies ls|--format') REPLY='w text json yaml' ;;
    'tctl proxies help|#0') REPLY='w ls' ;;
    'tctl apps ls|-c'|'tctl apps ls|--config') REPLY='f' ;;
    'tctl apps ls|-f'|'tctl apps ls|--format') REPLY='w text json yaml' ;;
    'tctl apps help|#0') REPLY='w ls' ;;
    'tctl audit events|-c'|'tctl audit events|--config') REPLY='f' ;;
    'tctl audit events|-f'|'tctl audit events|--format') REPLY='w text json' ;;
    'tctl audit help|#0') REPLY='w events' ;;
    'tctl completion|#0') REPLY='w bash zsh fish powershell' ;;
    'tctl version|-c'|'tctl version|--config') REPLY='f' ;;
    'tctl version|-f'|'tctl version|--format') REPLY='w text json' ;;
    'tctl help|#0') REPLY='w status create get rm lock locks users tokens proxies apps audit completion version' ;;
    *) REPLY='' ;;
  esac
}

# __tctl_add CUR PREFIX WORD...: adds PREFIX+WORD for each WORD starting with CUR.
# (Not compgen -W: it would expand $(...) in names read from files.)
__tctl_add() {
  local cur=$1 prefix=$2 w
  shift 2
  for w in "$@"; do
    [[ $w == "$cur"* ]] && COMPREPLY+=("$prefix$w")
  done
}

# __tctl_values KEY CUR [PREFIX]: completes a value of an option or argument.
__tctl_values() {
  local REPLY line
  local -a found=()
  __tctl_source "$1"
  case $REPLY in
    'w '*) read -ra found <<<"${REPLY#w }" ;;
    f)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$2")
      return
      ;;
  esac
  __tctl_add "$2" "${3-}" "${found[@]}"
}

# _tctl: the completion function. It reads the line up to the cursor (COMP_LINE, COMP_POINT),
# so values with ':' or '=' (role ARNs, --format=json) stay whole, whatever COMP_WORDBREAKS holds.
_tctl() {
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
  local path=tctl i=1 w a sub npos=0 app='' optapp='' valopt='' first=-1
  __tctl_node "$path"
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
          __tctl_node "$path"
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
    __tctl_values "$path|$valopt" "$cur"
  elif [[ $cur == --*=* && " $vopts " == *" ${cur%%=*} "* ]]; then
    __tctl_values "$path|${cur%%=*}" "${cur#*=}" "${cur%%=*}="
  elif [[ $cur == -* ]]; then
    __tctl_add "$cur" '' $opts
  elif [[ -n $subs ]] && (( npos == 0 )); then
    __tctl_add "$cur" '' $subs
  else
    __tctl_values "$path|#$npos" "$cur"
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

complete -F _tctl tctl
