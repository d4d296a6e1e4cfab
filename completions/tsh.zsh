#compdef tsh
# zsh completion for tsh. Generated from tsh's command tree by `npm run completions`; do not edit.
#
# Install:
#   tsh completion zsh > ~/.zfunc/_tsh    # with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc
# or:
#   source <(tsh completion zsh)           # in ~/.zshrc, after compinit

# _tsh__values SOURCE [APP]: app or IAM role names from `tsh __complete`, which reads
# only local files (the profile and the last `tsh apps ls` under TELEPORT_HOME).
_tsh__values() {
  local -a lines items
  local line value prog=${_tsh_prog:-tsh}
  [[ $prog == '~/'* ]] && prog=$HOME/${prog#'~/'}
  lines=(${(f)"$(_call_program $1 ${(q)prog} __complete ${(q)1} ${(q)2-} 2>/dev/null)"})
  for line in $lines; do
    value=${${line%%$'\t'*}//:/\\:}
    if [[ $line == *$'\t'* ]]; then items+=("$value:${line#*$'\t'}"); else items+=("$value"); fi
  done
  local descr=app
  [[ $1 == roles ]] && descr='IAM role'
  _describe -t $1 $descr items
}

# _tsh__other PROGRAM: the words left belong to PROGRAM (`tsh aws s3 ls` is `aws s3 ls`):
# complete them with whatever completion zsh has for it.
_tsh__other() {
  words=($1 "${words[@]}")
  (( CURRENT++ ))
  _normal
}

# tsh: Reach AWS APIs through short-lived certificates: no AWS keys on your machine.
_tsh() {
  local _tsh_prog=${_tsh_prog:-$words[1]}
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '--proxy=[address of the proxy (env TELEPORT_PROXY)]:host\:port: ' \
    '--user=[cluster user name (env TELEPORT_USER)]:name: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces and a request log on stderr]' \
    '(-d --debug)--debug[stack traces and a request log on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '--version[print the version]' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    '(-): :->command' \
    '(-)*:: :->argument' \
    && ret=0
  case $state in
    (command)
      local -a commands=(
        'login:Log in to a cluster and keep a short-lived certificate in the OS keychain'
        'logout:Log out: end app sessions and remove keys and certificates'
        'status:Show the current login'
        'version:Print the version'
        'apps:List and log into apps'
        'aws:Run the aws CLI with the app'\''s IAM role, through a local proxy'
        'proxy:Start local proxies'
        'completion:Print the shell completion script (bash, zsh, fish or powershell)'
        'help:display help for command'
      )
      _describe -t commands 'tsh command' commands && ret=0
      ;;
    (argument)
      curcontext=${curcontext%:*:*}:tsh-$words[1]:
      case $words[1] in
        (login) _tsh__login && ret=0 ;;
        (logout) _tsh__logout && ret=0 ;;
        (status) _tsh__status && ret=0 ;;
        (version) _tsh__version && ret=0 ;;
        (apps|app) _tsh__apps && ret=0 ;;
        (aws) _tsh__aws && ret=0 ;;
        (proxy) _tsh__proxy && ret=0 ;;
        (completion) _tsh__completion && ret=0 ;;
        (help) _tsh__help && ret=0 ;;
      esac
      ;;
  esac
  return ret
}

# tsh login: Log in to a cluster and keep a short-lived certificate in the OS keychain
_tsh__login() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '--proxy=[address of the proxy (env TELEPORT_PROXY)]:host\:port: ' \
    '--user=[cluster user name (env TELEPORT_USER)]:name: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces and a request log on stderr]' \
    '(-d --debug)--debug[stack traces and a request log on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '--ttl=[how long the login lasts, in minutes (the roles may cap it)]:minutes: ' \
    '(-f --format)-f+[output format (text, json)]:format:(text json)' \
    '(-f --format)--format=[output format (text, json)]:format:(text json)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tsh logout: Log out: end app sessions and remove keys and certificates
_tsh__logout() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '--proxy=[address of the proxy (env TELEPORT_PROXY)]:host\:port: ' \
    '--user=[cluster user name (env TELEPORT_USER)]:name: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces and a request log on stderr]' \
    '(-d --debug)--debug[stack traces and a request log on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '--force[remove the local keys even when the app sessions cannot be ended on the cluster (proxy unreachable)]' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tsh status: Show the current login
_tsh__status() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '--proxy=[address of the proxy (env TELEPORT_PROXY)]:host\:port: ' \
    '--user=[cluster user name (env TELEPORT_USER)]:name: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces and a request log on stderr]' \
    '(-d --debug)--debug[stack traces and a request log on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-f --format)--format=[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tsh version: Print the version
_tsh__version() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '--proxy=[address of the proxy (env TELEPORT_PROXY)]:host\:port: ' \
    '--user=[cluster user name (env TELEPORT_USER)]:name: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces and a request log on stderr]' \
    '(-d --debug)--debug[stack traces and a request log on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (text, json)]:format:(text json)' \
    '(-f --format)--format=[output format (text, json)]:format:(text json)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tsh apps: List and log into apps
_tsh__apps() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    '(-): :->command' \
    '(-)*:: :->argument' \
    && ret=0
  case $state in
    (command)
      local -a commands=(
        'ls:List the apps you can reach'
        'login:Log into an app; for AWS apps, choose the IAM role'
        'logout:Log out of an app (all apps when none is named)'
        'config:Print an app login'\''s settings (paths, certificate, role)'
        'help:display help for command'
      )
      _describe -t commands 'tsh apps command' commands && ret=0
      ;;
    (argument)
      curcontext=${curcontext%:*:*}:tsh-apps-$words[1]:
      case $words[1] in
        (ls) _tsh__apps__ls && ret=0 ;;
        (login) _tsh__apps__login && ret=0 ;;
        (logout) _tsh__apps__logout && ret=0 ;;
        (config) _tsh__apps__config && ret=0 ;;
        (help) _tsh__apps__help && ret=0 ;;
      esac
      ;;
  esac
  return ret
}

# tsh apps ls: List the apps you can reach
_tsh__apps__ls() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '--proxy=[address of the proxy (env TELEPORT_PROXY)]:host\:port: ' \
    '--user=[cluster user name (env TELEPORT_USER)]:name: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces and a request log on stderr]' \
    '(-d --debug)--debug[stack traces and a request log on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-v --verbose)-v[also show each app'\''s URI]' \
    '(-v --verbose)--verbose[also show each app'\''s URI]' \
    '(-f --format)-f+[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-f --format)--format=[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tsh apps login: Log into an app; for AWS apps, choose the IAM role
_tsh__apps__login() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '--proxy=[address of the proxy (env TELEPORT_PROXY)]:host\:port: ' \
    '--user=[cluster user name (env TELEPORT_USER)]:name: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces and a request log on stderr]' \
    '(-d --debug)--debug[stack traces and a request log on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '--aws-role=[(AWS apps) IAM role name or ARN to use]:name|arn:->roles' \
    '--ttl=[lifetime of the app certificate in minutes (at most the login'\''s)]:minutes: ' \
    '(-q --quiet)-q[print nothing on success]' \
    '(-q --quiet)--quiet[print nothing on success]' \
    '(-f --format)-f+[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-f --format)--format=[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    ':app:{_tsh__values apps}' \
    && ret=0
  case $state in
    (roles)
      _tsh__values roles "${line[1]-}" && ret=0
      ;;
  esac
  return ret
}

# tsh apps logout: Log out of an app (all apps when none is named)
_tsh__apps__logout() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '--proxy=[address of the proxy (env TELEPORT_PROXY)]:host\:port: ' \
    '--user=[cluster user name (env TELEPORT_USER)]:name: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces and a request log on stderr]' \
    '(-d --debug)--debug[stack traces and a request log on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    '::app:{_tsh__values app-logins}' \
    && ret=0
  return ret
}

# tsh apps config: Print an app login's settings (paths, certificate, role)
_tsh__apps__config() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '--proxy=[address of the proxy (env TELEPORT_PROXY)]:host\:port: ' \
    '--user=[cluster user name (env TELEPORT_USER)]:name: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces and a request log on stderr]' \
    '(-d --debug)--debug[stack traces and a request log on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (text, uri, ca, cert, key, curl, json, yaml)]:format:(text uri ca cert key curl json yaml)' \
    '(-f --format)--format=[output format (text, uri, ca, cert, key, curl, json, yaml)]:format:(text uri ca cert key curl json yaml)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    '::app:{_tsh__values app-logins}' \
    && ret=0
  return ret
}

# tsh apps help: display help for command
_tsh__apps__help() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '::command:(ls login logout config)' \
    && ret=0
  return ret
}

# tsh aws: Run the aws CLI with the app's IAM role, through a local proxy
_tsh__aws() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S -A '-*' : \
    '--app=[AWS app to use when logged into several]:name:{_tsh__values app-logins}' \
    '(-e --endpoint-url)-e[serve a local endpoint URL instead of an HTTPS proxy]' \
    '(-e --endpoint-url)--endpoint-url[serve a local endpoint URL instead of an HTTPS proxy]' \
    '--exec=[run this command instead of aws (e.g. terraform)]:command: ' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    '(-)*:: :->argument' \
    && ret=0
  case $state in
    (argument)
      if (( CURRENT == 1 )); then
        local -a commands=(
          'console:Open the AWS Management Console in your browser, signed in as the app'\''s IAM role'
        )
        _describe -t commands 'tsh aws command' commands && ret=0
        _tsh__other aws && ret=0
      else
        case $words[1] in
          (console) curcontext=${curcontext%:*:*}:tsh-aws-$words[1]:; _tsh__aws__console && ret=0 ;;
          (*) _tsh__other aws && ret=0 ;;
        esac
      fi
      ;;
  esac
  return ret
}

# tsh aws console: Open the AWS Management Console in your browser, signed in as the app's IAM role
_tsh__aws__console() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '--proxy=[address of the proxy (env TELEPORT_PROXY)]:host\:port: ' \
    '--user=[cluster user name (env TELEPORT_USER)]:name: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces and a request log on stderr]' \
    '(-d --debug)--debug[stack traces and a request log on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '--app=[AWS app to use when logged into several]:name:{_tsh__values app-logins}' \
    '--aws-role=[IAM role to sign in as (logs into the app with it first)]:name|arn:->roles' \
    '--print[print the sign-in URL instead of opening a browser]' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  case $state in
    (roles)
      _tsh__values roles "${opt_args[--app]-}" && ret=0
      ;;
  esac
  return ret
}

# tsh proxy: Start local proxies
_tsh__proxy() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    '(-): :->command' \
    '(-)*:: :->argument' \
    && ret=0
  case $state in
    (command)
      local -a commands=(
        'aws:Start a local HTTPS proxy (or endpoint) for any AWS SDK'
        'help:display help for command'
      )
      _describe -t commands 'tsh proxy command' commands && ret=0
      ;;
    (argument)
      curcontext=${curcontext%:*:*}:tsh-proxy-$words[1]:
      case $words[1] in
        (aws) _tsh__proxy__aws && ret=0 ;;
        (help) _tsh__proxy__help && ret=0 ;;
      esac
      ;;
  esac
  return ret
}

# tsh proxy aws: Start a local HTTPS proxy (or endpoint) for any AWS SDK
_tsh__proxy__aws() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '--proxy=[address of the proxy (env TELEPORT_PROXY)]:host\:port: ' \
    '--user=[cluster user name (env TELEPORT_USER)]:name: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces and a request log on stderr]' \
    '(-d --debug)--debug[stack traces and a request log on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-p --port)-p+[local port to listen on (default: a free one)]:port: ' \
    '(-p --port)--port=[local port to listen on (default: a free one)]:port: ' \
    '--app=[AWS app to use when logged into several]:name:{_tsh__values app-logins}' \
    '(-e --endpoint-url)-e[serve a local endpoint URL instead of an HTTPS proxy]' \
    '(-e --endpoint-url)--endpoint-url[serve a local endpoint URL instead of an HTTPS proxy]' \
    '(-f --format)-f+[output format (unix, text, command-prompt, powershell, fish, json)]:format:(unix text command-prompt powershell fish json)' \
    '(-f --format)--format=[output format (unix, text, command-prompt, powershell, fish, json)]:format:(unix text command-prompt powershell fish json)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tsh proxy help: display help for command
_tsh__proxy__help() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '::command:(aws)' \
    && ret=0
  return ret
}

# tsh completion: Print the shell completion script (bash, zsh, fish or powershell)
_tsh__completion() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    ':shell:(bash zsh fish powershell)' \
    && ret=0
  return ret
}

# tsh help: display help for command
_tsh__help() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '::command:(login logout status version apps aws proxy completion)' \
    && ret=0
  return ret
}

if [[ ${funcstack[1]-} == _tsh ]]; then
  _tsh "$@"
elif (( $+functions[compdef] )); then
  compdef _tsh tsh
else
  print -u2 'tsh completion: run compinit before sourcing it (autoload -Uz compinit && compinit)'
fi
