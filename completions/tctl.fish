# fish completion for tctl. Generated from tctl's command tree by `npm run completions`; do not edit.
#
# Install:
#   tctl completion fish > ~/.config/fish/completions/tctl.fish

# __tctl_node PATH: one command of the tree, set in the caller's variables (the function shares its scope):
#   subs     its subcommands              aliases  ALIAS=NAME pairs
#   vopts    the flags followed by a value
#   appopt   the flag naming an app       apparg   the argument index naming an app
#   pass     1: after its first argument, the words belong to another program
function __tctl_node --no-scope-shadowing
    set subs
    set aliases
    set vopts
    set appopt
    set apparg -1
    set pass 0
    switch $argv[1]
        case 'tctl'
            set subs status create get rm lock locks users tokens proxies apps audit completion version help
            set vopts -c --config --proxy
        case 'tctl status'
            set vopts -c --config --proxy -f --format
        case 'tctl create'
            set vopts -c --config --proxy
        case 'tctl get'
            set vopts -c --config --proxy -f --format
        case 'tctl rm'
            set vopts -c --config --proxy
        case 'tctl lock'
            set vopts -c --config --proxy --user --role --message --ttl --expires
        case 'tctl locks'
            set subs ls help
        case 'tctl locks ls'
            set vopts -c --config --proxy -f --format
        case 'tctl locks help'
        case 'tctl users'
            set subs add update ls rm reset help
        case 'tctl users add'
            set vopts -c --config --proxy --roles --aws-role-arns -f --format
        case 'tctl users update'
            set vopts -c --config --proxy --set-roles --set-aws-role-arns
        case 'tctl users ls'
            set vopts -c --config --proxy -f --format
        case 'tctl users rm'
            set vopts -c --config --proxy
        case 'tctl users reset'
            set vopts -c --config --proxy -f --format
        case 'tctl users help'
        case 'tctl tokens'
            set subs add ls rm help
        case 'tctl tokens add'
            set vopts -c --config --proxy --type --app-name --app-uri --ttl --format
        case 'tctl tokens ls'
            set vopts -c --config --proxy -f --format
        case 'tctl tokens rm'
            set vopts -c --config --proxy
        case 'tctl tokens help'
        case 'tctl proxies'
            set subs ls help
        case 'tctl proxies ls'
            set vopts -c --config --proxy -f --format
        case 'tctl proxies help'
        case 'tctl apps'
            set subs ls help
        case 'tctl apps ls'
            set vopts -c --config --proxy -f --format
        case 'tctl apps help'
        case 'tctl audit'
            set subs events help
        case 'tctl audit events'
            set vopts -c --config --proxy --since --type --limit -f --format
        case 'tctl audit help'
        case 'tctl completion'
        case 'tctl version'
            set vopts -c --config --proxy -f --format
        case 'tctl help'
    end
end

# __tctl_state: where the line before the cursor stands, in four lines:
#   the command path ("tctl apps login"; with " --" appended once the words belong to another program),
#   how many arguments it has so far ("-" while the cursor is on a flag's value),
#   the app named on the line, and the index of the first word belonging to another program (0: none).
function __tctl_state
    set -l tokens (commandline -opc)
    set -l subs
    set -l aliases
    set -l vopts
    set -l appopt
    set -l apparg
    set -l pass
    set -l path tctl
    __tctl_node $path
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
                    __tctl_node $path
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
    printf '%s\n' "$path" $npos "$app" $first
end

# __tctl_at PATH [N|N+]: true when the line is at command PATH (with N, or at least N, arguments so far).
function __tctl_at
    set -l s (__tctl_state)
    test "$s[1]" = "$argv[1]"; or return 1
    set -q argv[2]; or return 0
    test "$s[2]" != -; or return 1
    if string match -q -- '*+' $argv[2]
        test $s[2] -ge (string replace -- + '' $argv[2])
    else
        test $s[2] = $argv[2]
    end
end

complete -c tctl -e
complete -c tctl -f

# tctl
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a status -d 'Show the cluster name, version and CA pin'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a create -d 'Create roles, users and locks from a YAML file (kind: role v5, kind: user v2, kind: lock v2)'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a get -d 'Show resources: roles, users, tokens, locks, role/NAME, user/NAME, lock/ID'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a rm -d 'Remove a resource: role/NAME, user/NAME, token/NAME, lock/ID'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a lock -d 'Lock a user or a role out: logins, API calls and app requests are refused at once, live app connections closed'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a locks -d 'Locks in force'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a users -d 'Manage users'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a tokens -d 'Manage join tokens'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a proxies -d 'The proxies of the cluster'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a apps -d 'Apps and the agents serving them'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a audit -d 'The audit log'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a completion -d 'Print the shell completion script (bash, zsh, fish or powershell)'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a version -d 'Print the version'
complete -c tctl -n "__tctl_at 'tctl' 0" -f -a help -d 'display help for command'
complete -c tctl -n "__tctl_at 'tctl'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl'" -l version -d 'print the version'
complete -c tctl -n "__tctl_at 'tctl'" -s h -l help -d 'display help for command'

# tctl status
complete -c tctl -n "__tctl_at 'tctl status'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl status'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl status'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl status'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl status'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl status'" -s f -l format -x -a 'text json yaml' -d 'output format (text, json, yaml)'
complete -c tctl -n "__tctl_at 'tctl status'" -s h -l help -d 'display help for command'

# tctl create
complete -c tctl -n "__tctl_at 'tctl create'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl create'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl create'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl create'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl create'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl create'" -s f -l force -d 'overwrite resources that exist'
complete -c tctl -n "__tctl_at 'tctl create'" -s h -l help -d 'display help for command'
complete -c tctl -n "__tctl_at 'tctl create' 0" -F -d 'YAML file with one or more documents (- for standard input)'

# tctl get
complete -c tctl -n "__tctl_at 'tctl get'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl get'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl get'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl get'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl get'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl get'" -s f -l format -x -a 'yaml json text' -d 'output format (yaml, json, text)'
complete -c tctl -n "__tctl_at 'tctl get'" -s h -l help -d 'display help for command'

# tctl rm
complete -c tctl -n "__tctl_at 'tctl rm'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl rm'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl rm'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl rm'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl rm'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl rm'" -s h -l help -d 'display help for command'

# tctl lock
complete -c tctl -n "__tctl_at 'tctl lock'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl lock'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl lock'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl lock'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl lock'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl lock'" -l user -x -d 'the user to lock'
complete -c tctl -n "__tctl_at 'tctl lock'" -l role -x -d 'the role to lock: every user and certificate holding it'
complete -c tctl -n "__tctl_at 'tctl lock'" -l message -x -d 'what the locked user is told'
complete -c tctl -n "__tctl_at 'tctl lock'" -l ttl -x -d 'how long the lock holds (e.g. 30m, 10h); without it, until `tctl rm lock/ID`'
complete -c tctl -n "__tctl_at 'tctl lock'" -l expires -x -d 'when the lock ends, as an RFC 3339 time (instead of --ttl)'
complete -c tctl -n "__tctl_at 'tctl lock'" -s h -l help -d 'display help for command'

# tctl locks
complete -c tctl -n "__tctl_at 'tctl locks' 0" -f -a ls -d 'List the locks in force'
complete -c tctl -n "__tctl_at 'tctl locks' 0" -f -a help -d 'display help for command'
complete -c tctl -n "__tctl_at 'tctl locks'" -s h -l help -d 'display help for command'

# tctl locks ls
complete -c tctl -n "__tctl_at 'tctl locks ls'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl locks ls'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl locks ls'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl locks ls'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl locks ls'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl locks ls'" -s f -l format -x -a 'text json yaml' -d 'output format (text, json, yaml)'
complete -c tctl -n "__tctl_at 'tctl locks ls'" -s h -l help -d 'display help for command'

# tctl locks help
complete -c tctl -n "__tctl_at 'tctl locks help' 0" -f -a 'ls' -d 'command'

# tctl users
complete -c tctl -n "__tctl_at 'tctl users' 0" -f -a add -d 'Create a user and print an invite link (valid 1h)'
complete -c tctl -n "__tctl_at 'tctl users' 0" -f -a update -d 'Change a user\'s roles or IAM role ARNs'
complete -c tctl -n "__tctl_at 'tctl users' 0" -f -a ls -d 'List users'
complete -c tctl -n "__tctl_at 'tctl users' 0" -f -a rm -d 'Remove a user and end their app sessions at once'
complete -c tctl -n "__tctl_at 'tctl users' 0" -f -a reset -d 'Clear a user\'s password and second factor and print a new setup link'
complete -c tctl -n "__tctl_at 'tctl users' 0" -f -a help -d 'display help for command'
complete -c tctl -n "__tctl_at 'tctl users'" -s h -l help -d 'display help for command'

# tctl users add
complete -c tctl -n "__tctl_at 'tctl users add'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl users add'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl users add'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl users add'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl users add'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl users add'" -l roles -x -d 'comma-separated roles, e.g. access,editor'
complete -c tctl -n "__tctl_at 'tctl users add'" -l aws-role-arns -x -d 'comma-separated IAM role ARNs for the aws_role_arns trait'
complete -c tctl -n "__tctl_at 'tctl users add'" -s f -l format -x -a 'text json' -d 'output format (text, json)'
complete -c tctl -n "__tctl_at 'tctl users add'" -s h -l help -d 'display help for command'

# tctl users update
complete -c tctl -n "__tctl_at 'tctl users update'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl users update'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl users update'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl users update'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl users update'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl users update'" -l set-roles -x -d 'replace the roles (comma-separated)'
complete -c tctl -n "__tctl_at 'tctl users update'" -l set-aws-role-arns -x -d 'replace the aws_role_arns trait (comma-separated; empty to clear)'
complete -c tctl -n "__tctl_at 'tctl users update'" -s h -l help -d 'display help for command'

# tctl users ls
complete -c tctl -n "__tctl_at 'tctl users ls'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl users ls'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl users ls'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl users ls'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl users ls'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl users ls'" -s f -l format -x -a 'text json yaml' -d 'output format (text, json, yaml)'
complete -c tctl -n "__tctl_at 'tctl users ls'" -s h -l help -d 'display help for command'

# tctl users rm
complete -c tctl -n "__tctl_at 'tctl users rm'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl users rm'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl users rm'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl users rm'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl users rm'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl users rm'" -s h -l help -d 'display help for command'

# tctl users reset
complete -c tctl -n "__tctl_at 'tctl users reset'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl users reset'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl users reset'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl users reset'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl users reset'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl users reset'" -s f -l format -x -a 'text json' -d 'output format (text, json)'
complete -c tctl -n "__tctl_at 'tctl users reset'" -s h -l help -d 'display help for command'

# tctl users help
complete -c tctl -n "__tctl_at 'tctl users help' 0" -f -a 'add update ls rm reset' -d 'command'

# tctl tokens
complete -c tctl -n "__tctl_at 'tctl tokens' 0" -f -a add -d 'Create a join token for an app service'
complete -c tctl -n "__tctl_at 'tctl tokens' 0" -f -a ls -d 'List join tokens'
complete -c tctl -n "__tctl_at 'tctl tokens' 0" -f -a rm -d 'Remove a join token'
complete -c tctl -n "__tctl_at 'tctl tokens' 0" -f -a help -d 'display help for command'
complete -c tctl -n "__tctl_at 'tctl tokens'" -s h -l help -d 'display help for command'

# tctl tokens add
complete -c tctl -n "__tctl_at 'tctl tokens add'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl tokens add'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl tokens add'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl tokens add'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl tokens add'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl tokens add'" -l type -x -d 'token type (app)'
complete -c tctl -n "__tctl_at 'tctl tokens add'" -l app-name -x -d 'name of the app the new service will serve'
complete -c tctl -n "__tctl_at 'tctl tokens add'" -l app-uri -x -d 'URI of that app (an AWS console URL for AWS access)'
complete -c tctl -n "__tctl_at 'tctl tokens add'" -l ttl -x -d 'how long the token is valid (e.g. 30m, 1h)'
complete -c tctl -n "__tctl_at 'tctl tokens add'" -l format -x -a 'text json' -d 'output format (text, json)'
complete -c tctl -n "__tctl_at 'tctl tokens add'" -s h -l help -d 'display help for command'

# tctl tokens ls
complete -c tctl -n "__tctl_at 'tctl tokens ls'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl tokens ls'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl tokens ls'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl tokens ls'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl tokens ls'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl tokens ls'" -s f -l format -x -a 'text json yaml' -d 'output format (text, json, yaml)'
complete -c tctl -n "__tctl_at 'tctl tokens ls'" -s h -l help -d 'display help for command'

# tctl tokens rm
complete -c tctl -n "__tctl_at 'tctl tokens rm'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl tokens rm'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl tokens rm'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl tokens rm'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl tokens rm'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl tokens rm'" -s h -l help -d 'display help for command'

# tctl tokens help
complete -c tctl -n "__tctl_at 'tctl tokens help' 0" -f -a 'add ls rm' -d 'command'

# tctl proxies
complete -c tctl -n "__tctl_at 'tctl proxies' 0" -f -a ls -d 'List the proxies heartbeating into the cluster (one per auth+proxy instance)'
complete -c tctl -n "__tctl_at 'tctl proxies' 0" -f -a help -d 'display help for command'
complete -c tctl -n "__tctl_at 'tctl proxies'" -s h -l help -d 'display help for command'

# tctl proxies ls
complete -c tctl -n "__tctl_at 'tctl proxies ls'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl proxies ls'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl proxies ls'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl proxies ls'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl proxies ls'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl proxies ls'" -s f -l format -x -a 'text json yaml' -d 'output format (text, json, yaml)'
complete -c tctl -n "__tctl_at 'tctl proxies ls'" -s h -l help -d 'display help for command'

# tctl proxies help
complete -c tctl -n "__tctl_at 'tctl proxies help' 0" -f -a 'ls' -d 'command'

# tctl apps
complete -c tctl -n "__tctl_at 'tctl apps' 0" -f -a ls -d 'List apps and their agents'
complete -c tctl -n "__tctl_at 'tctl apps' 0" -f -a help -d 'display help for command'
complete -c tctl -n "__tctl_at 'tctl apps'" -s h -l help -d 'display help for command'

# tctl apps ls
complete -c tctl -n "__tctl_at 'tctl apps ls'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl apps ls'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl apps ls'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl apps ls'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl apps ls'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl apps ls'" -s f -l format -x -a 'text json yaml' -d 'output format (text, json, yaml)'
complete -c tctl -n "__tctl_at 'tctl apps ls'" -s h -l help -d 'display help for command'

# tctl apps help
complete -c tctl -n "__tctl_at 'tctl apps help' 0" -f -a 'ls' -d 'command'

# tctl audit
complete -c tctl -n "__tctl_at 'tctl audit' 0" -f -a events -d 'Show audit events'
complete -c tctl -n "__tctl_at 'tctl audit' 0" -f -a help -d 'display help for command'
complete -c tctl -n "__tctl_at 'tctl audit'" -s h -l help -d 'display help for command'

# tctl audit events
complete -c tctl -n "__tctl_at 'tctl audit events'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl audit events'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl audit events'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl audit events'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl audit events'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl audit events'" -l since -x -d 'how far back (e.g. 15m, 1h, 24h)'
complete -c tctl -n "__tctl_at 'tctl audit events'" -l type -x -d 'only this event type (e.g. app.session.start)'
complete -c tctl -n "__tctl_at 'tctl audit events'" -l limit -x -d 'at most this many (the newest)'
complete -c tctl -n "__tctl_at 'tctl audit events'" -s f -l format -x -a 'text json' -d 'output format (text, json)'
complete -c tctl -n "__tctl_at 'tctl audit events'" -s h -l help -d 'display help for command'

# tctl audit help
complete -c tctl -n "__tctl_at 'tctl audit help' 0" -f -a 'events' -d 'command'

# tctl completion
complete -c tctl -n "__tctl_at 'tctl completion'" -s h -l help -d 'display help for command'
complete -c tctl -n "__tctl_at 'tctl completion' 0" -f -a 'bash zsh fish powershell' -d 'your shell'

# tctl version
complete -c tctl -n "__tctl_at 'tctl version'" -s c -l config -r -F -d 'teleport.yaml of this auth host: act as the local administrator'
complete -c tctl -n "__tctl_at 'tctl version'" -l proxy -x -d 'proxy of the tsh profile to use (env TELEPORT_PROXY)'
complete -c tctl -n "__tctl_at 'tctl version'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tctl -n "__tctl_at 'tctl version'" -s d -l debug -d 'stack traces on stderr'
complete -c tctl -n "__tctl_at 'tctl version'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tctl -n "__tctl_at 'tctl version'" -s f -l format -x -a 'text json' -d 'output format (text, json)'
complete -c tctl -n "__tctl_at 'tctl version'" -s h -l help -d 'display help for command'

# tctl help
complete -c tctl -n "__tctl_at 'tctl help' 0" -f -a 'status create get rm lock locks users tokens proxies apps audit completion version' -d 'command'
