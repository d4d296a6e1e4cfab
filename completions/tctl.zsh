#compdef tctl
# zsh completion for tctl. Generated from tctl's command tree by `npm run completions`; do not edit.
#
# Install:
#   tctl completion zsh > ~/.zfunc/_tctl    # with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc
# or:
#   source <(tctl completion zsh)           # in ~/.zshrc, after compinit

# tctl: Administer a tsh-aws cluster: roles, users, join tokens, locks, apps, audit log.
_tctl() {
  local _tctl_prog=${_tctl_prog:-$words[1]}
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
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
        'status:Show the cluster name, version and CA pin'
        'create:Create roles, users and locks from a YAML file (kind: role v5, kind: user v2, kind: lock v2)'
        'get:Show resources: roles, users, tokens, locks, role/NAME, user/NAME, lock/ID'
        'rm:Remove a resource: role/NAME, user/NAME, token/NAME, lock/ID'
        'lock:Lock a user or a role out: logins, API calls and app requests are refused at once, live app connections closed'
        'locks:Locks in force'
        'users:Manage users'
        'tokens:Manage join tokens'
        'proxies:The proxies of the cluster'
        'apps:Apps and the agents serving them'
        'audit:The audit log'
        'completion:Print the shell completion script (bash, zsh, fish or powershell)'
        'version:Print the version'
        'help:display help for command'
      )
      _describe -t commands 'tctl command' commands && ret=0
      ;;
    (argument)
      curcontext=${curcontext%:*:*}:tctl-$words[1]:
      case $words[1] in
        (status) _tctl__status && ret=0 ;;
        (create) _tctl__create && ret=0 ;;
        (get) _tctl__get && ret=0 ;;
        (rm) _tctl__rm && ret=0 ;;
        (lock) _tctl__lock && ret=0 ;;
        (locks) _tctl__locks && ret=0 ;;
        (users) _tctl__users && ret=0 ;;
        (tokens) _tctl__tokens && ret=0 ;;
        (proxies) _tctl__proxies && ret=0 ;;
        (apps) _tctl__apps && ret=0 ;;
        (audit) _tctl__audit && ret=0 ;;
        (completion) _tctl__completion && ret=0 ;;
        (version) _tctl__version && ret=0 ;;
        (help) _tctl__help && ret=0 ;;
      esac
      ;;
  esac
  return ret
}

# tctl status: Show the cluster name, version and CA pin
_tctl__status() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-f --format)--format=[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tctl create: Create roles, users and locks from a YAML file (kind: role v5, kind: user v2, kind: lock v2)
_tctl__create() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --force)-f[overwrite resources that exist]' \
    '(-f --force)--force[overwrite resources that exist]' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    ':file:_files' \
    && ret=0
  return ret
}

# tctl get: Show resources: roles, users, tokens, locks, role/NAME, user/NAME, lock/ID
_tctl__get() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (yaml, json, text)]:format:(yaml json text)' \
    '(-f --format)--format=[output format (yaml, json, text)]:format:(yaml json text)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    ':resource: ' \
    && ret=0
  return ret
}

# tctl rm: Remove a resource: role/NAME, user/NAME, token/NAME, lock/ID
_tctl__rm() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    ':resource: ' \
    && ret=0
  return ret
}

# tctl lock: Lock a user or a role out: logins, API calls and app requests are refused at once, live app connections closed
_tctl__lock() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '--user=[the user to lock]:name: ' \
    '--role=[the role to lock: every user and certificate holding it]:name: ' \
    '--message=[what the locked user is told]:text: ' \
    '--ttl=[how long the lock holds (e.g. 30m, 10h); without it, until `tctl rm lock/ID`]:duration: ' \
    '--expires=[when the lock ends, as an RFC 3339 time (instead of --ttl)]:time: ' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tctl locks: Locks in force
_tctl__locks() {
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
        'ls:List the locks in force'
        'help:display help for command'
      )
      _describe -t commands 'tctl locks command' commands && ret=0
      ;;
    (argument)
      curcontext=${curcontext%:*:*}:tctl-locks-$words[1]:
      case $words[1] in
        (ls) _tctl__locks__ls && ret=0 ;;
        (help) _tctl__locks__help && ret=0 ;;
      esac
      ;;
  esac
  return ret
}

# tctl locks ls: List the locks in force
_tctl__locks__ls() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-f --format)--format=[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tctl locks help: display help for command
_tctl__locks__help() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '::command:(ls)' \
    && ret=0
  return ret
}

# tctl users: Manage users
_tctl__users() {
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
        'add:Create a user and print an invite link (valid 1h)'
        'update:Change a user'\''s roles or IAM role ARNs'
        'ls:List users'
        'rm:Remove a user and end their app sessions at once'
        'reset:Clear a user'\''s password and second factor and print a new setup link'
        'help:display help for command'
      )
      _describe -t commands 'tctl users command' commands && ret=0
      ;;
    (argument)
      curcontext=${curcontext%:*:*}:tctl-users-$words[1]:
      case $words[1] in
        (add) _tctl__users__add && ret=0 ;;
        (update) _tctl__users__update && ret=0 ;;
        (ls) _tctl__users__ls && ret=0 ;;
        (rm) _tctl__users__rm && ret=0 ;;
        (reset) _tctl__users__reset && ret=0 ;;
        (help) _tctl__users__help && ret=0 ;;
      esac
      ;;
  esac
  return ret
}

# tctl users add: Create a user and print an invite link (valid 1h)
_tctl__users__add() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '--roles=[comma-separated roles, e.g. access,editor]:roles: ' \
    '--aws-role-arns=[comma-separated IAM role ARNs for the aws_role_arns trait]:arns: ' \
    '(-f --format)-f+[output format (text, json)]:format:(text json)' \
    '(-f --format)--format=[output format (text, json)]:format:(text json)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    ':name: ' \
    && ret=0
  return ret
}

# tctl users update: Change a user's roles or IAM role ARNs
_tctl__users__update() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '--set-roles=[replace the roles (comma-separated)]:roles: ' \
    '--set-aws-role-arns=[replace the aws_role_arns trait (comma-separated; empty to clear)]:arns: ' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    ':name: ' \
    && ret=0
  return ret
}

# tctl users ls: List users
_tctl__users__ls() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-f --format)--format=[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tctl users rm: Remove a user and end their app sessions at once
_tctl__users__rm() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    ':name: ' \
    && ret=0
  return ret
}

# tctl users reset: Clear a user's password and second factor and print a new setup link
_tctl__users__reset() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (text, json)]:format:(text json)' \
    '(-f --format)--format=[output format (text, json)]:format:(text json)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    ':name: ' \
    && ret=0
  return ret
}

# tctl users help: display help for command
_tctl__users__help() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '::command:(add update ls rm reset)' \
    && ret=0
  return ret
}

# tctl tokens: Manage join tokens
_tctl__tokens() {
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
        'add:Create a join token for an app service'
        'ls:List join tokens'
        'rm:Remove a join token'
        'help:display help for command'
      )
      _describe -t commands 'tctl tokens command' commands && ret=0
      ;;
    (argument)
      curcontext=${curcontext%:*:*}:tctl-tokens-$words[1]:
      case $words[1] in
        (add) _tctl__tokens__add && ret=0 ;;
        (ls) _tctl__tokens__ls && ret=0 ;;
        (rm) _tctl__tokens__rm && ret=0 ;;
        (help) _tctl__tokens__help && ret=0 ;;
      esac
      ;;
  esac
  return ret
}

# tctl tokens add: Create a join token for an app service
_tctl__tokens__add() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '--type=[token type (app)]:type: ' \
    '--app-name=[name of the app the new service will serve]:name: ' \
    '--app-uri=[URI of that app (an AWS console URL for AWS access)]:uri: ' \
    '--ttl=[how long the token is valid (e.g. 30m, 1h)]:duration: ' \
    '--format=[output format (text, json)]:format:(text json)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tctl tokens ls: List join tokens
_tctl__tokens__ls() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-f --format)--format=[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tctl tokens rm: Remove a join token
_tctl__tokens__rm() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    ':token: ' \
    && ret=0
  return ret
}

# tctl tokens help: display help for command
_tctl__tokens__help() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '::command:(add ls rm)' \
    && ret=0
  return ret
}

# tctl proxies: The proxies of the cluster
_tctl__proxies() {
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
        'ls:List the proxies heartbeating into the cluster (one per auth+proxy instance)'
        'help:display help for command'
      )
      _describe -t commands 'tctl proxies command' commands && ret=0
      ;;
    (argument)
      curcontext=${curcontext%:*:*}:tctl-proxies-$words[1]:
      case $words[1] in
        (ls) _tctl__proxies__ls && ret=0 ;;
        (help) _tctl__proxies__help && ret=0 ;;
      esac
      ;;
  esac
  return ret
}

# tctl proxies ls: List the proxies heartbeating into the cluster (one per auth+proxy instance)
_tctl__proxies__ls() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-f --format)--format=[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tctl proxies help: display help for command
_tctl__proxies__help() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '::command:(ls)' \
    && ret=0
  return ret
}

# tctl apps: Apps and the agents serving them
_tctl__apps() {
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
        'ls:List apps and their agents'
        'help:display help for command'
      )
      _describe -t commands 'tctl apps command' commands && ret=0
      ;;
    (argument)
      curcontext=${curcontext%:*:*}:tctl-apps-$words[1]:
      case $words[1] in
        (ls) _tctl__apps__ls && ret=0 ;;
        (help) _tctl__apps__help && ret=0 ;;
      esac
      ;;
  esac
  return ret
}

# tctl apps ls: List apps and their agents
_tctl__apps__ls() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-f --format)--format=[output format (text, json, yaml)]:format:(text json yaml)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tctl apps help: display help for command
_tctl__apps__help() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '::command:(ls)' \
    && ret=0
  return ret
}

# tctl audit: The audit log
_tctl__audit() {
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
        'events:Show audit events'
        'help:display help for command'
      )
      _describe -t commands 'tctl audit command' commands && ret=0
      ;;
    (argument)
      curcontext=${curcontext%:*:*}:tctl-audit-$words[1]:
      case $words[1] in
        (events) _tctl__audit__events && ret=0 ;;
        (help) _tctl__audit__help && ret=0 ;;
      esac
      ;;
  esac
  return ret
}

# tctl audit events: Show audit events
_tctl__audit__events() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '--since=[how far back (e.g. 15m, 1h, 24h)]:duration: ' \
    '--type=[only this event type (e.g. app.session.start)]:event: ' \
    '--limit=[at most this many (the newest)]:n: ' \
    '(-f --format)-f+[output format (text, json)]:format:(text json)' \
    '(-f --format)--format=[output format (text, json)]:format:(text json)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tctl audit help: display help for command
_tctl__audit__help() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '::command:(events)' \
    && ret=0
  return ret
}

# tctl completion: Print the shell completion script (bash, zsh, fish or powershell)
_tctl__completion() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    ':shell:(bash zsh fish powershell)' \
    && ret=0
  return ret
}

# tctl version: Print the version
_tctl__version() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '(-c --config)-c+[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '(-c --config)--config=[teleport.yaml of this auth host: act as the local administrator]:file:_files' \
    '--proxy=[proxy of the tsh profile to use (env TELEPORT_PROXY)]:host\:port: ' \
    '--insecure[do not verify the proxy'\''s certificate (test clusters only)]' \
    '(-d --debug)-d[stack traces on stderr]' \
    '(-d --debug)--debug[stack traces on stderr]' \
    '--no-color[no colour in output (also NO_COLOR)]' \
    '(-f --format)-f+[output format (text, json)]:format:(text json)' \
    '(-f --format)--format=[output format (text, json)]:format:(text json)' \
    '(-h --help)-h[display help for command]' \
    '(-h --help)--help[display help for command]' \
    && ret=0
  return ret
}

# tctl help: display help for command
_tctl__help() {
  local curcontext=$curcontext state state_descr line ret=1
  local -A opt_args
  _arguments -C -s -S : \
    '::command:(status create get rm lock locks users tokens proxies apps audit completion version)' \
    && ret=0
  return ret
}

if [[ ${funcstack[1]-} == _tctl ]]; then
  _tctl "$@"
elif (( $+functions[compdef] )); then
  compdef _tctl tctl
else
  print -u2 'tctl completion: run compinit before sourcing it (autoload -Uz compinit && compinit)'
fi
