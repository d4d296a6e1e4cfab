# fish completion for tsh. Generated from tsh's command tree by `npm run completions`; do not edit.
#
# Install:
#   tsh completion fish > ~/.config/fish/completions/tsh.fish

# __tsh_node PATH: one command of the tree, set in the caller's variables (the function shares its scope):
#   subs     its subcommands              aliases  ALIAS=NAME pairs
#   vopts    the flags followed by a value
#   appopt   the flag naming an app       apparg   the argument index naming an app
#   pass     1: after its first argument, the words belong to another program
function __tsh_node --no-scope-shadowing
    set subs
    set aliases
    set vopts
    set appopt
    set apparg -1
    set pass 0
    switch $argv[1]
        case 'tsh'
            set subs login logout status version apps aws proxy completion help
            set aliases app=apps
            set vopts --proxy --user
        case 'tsh login'
            set vopts --proxy --user --ttl -f --format
        case 'tsh logout'
            set vopts --proxy --user
        case 'tsh status'
            set vopts --proxy --user -f --format
        case 'tsh version'
            set vopts --proxy --user -f --format
        case 'tsh apps'
            set subs ls login logout config help
        case 'tsh apps ls'
            set vopts --proxy --user -f --format
        case 'tsh apps login'
            set vopts --proxy --user --aws-role --ttl -f --format
            set apparg 0
        case 'tsh apps logout'
            set vopts --proxy --user
            set apparg 0
        case 'tsh apps config'
            set vopts --proxy --user -f --format
            set apparg 0
        case 'tsh apps help'
        case 'tsh aws'
            set subs console
            set vopts --app --exec
            set appopt --app
            set pass 1
        case 'tsh aws console'
            set vopts --proxy --user --app --aws-role
            set appopt --app
        case 'tsh proxy'
            set subs aws help
        case 'tsh proxy aws'
            set vopts --proxy --user -p --port --app -f --format
            set appopt --app
        case 'tsh proxy help'
        case 'tsh completion'
        case 'tsh help'
    end
end

# __tsh_state: where the line before the cursor stands, in four lines:
#   the command path ("tsh apps login"; with " --" appended once the words belong to another program),
#   how many arguments it has so far ("-" while the cursor is on a flag's value),
#   the app named on the line, and the index of the first word belonging to another program (0: none).
function __tsh_state
    set -l tokens (commandline -opc)
    set -l subs
    set -l aliases
    set -l vopts
    set -l appopt
    set -l apparg
    set -l pass
    set -l path tsh
    __tsh_node $path
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
                    __tsh_node $path
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

# __tsh_at PATH [N|N+]: true when the line is at command PATH (with N, or at least N, arguments so far).
function __tsh_at
    set -l s (__tsh_state)
    test "$s[1]" = "$argv[1]"; or return 1
    set -q argv[2]; or return 0
    test "$s[2]" != -; or return 1
    if string match -q -- '*+' $argv[2]
        test $s[2] -ge (string replace -- + '' $argv[2])
    else
        test $s[2] = $argv[2]
    end
end

# __tsh_values SOURCE: app or IAM role names from `tsh __complete`, which reads only local
# files (the profile and the last `tsh apps ls` under TELEPORT_HOME); roles of the app on the line.
function __tsh_values
    set -l s (__tsh_state)
    set -l cmd (commandline -opc)[1]
    command $cmd __complete $argv[1] "$s[3]" 2>/dev/null
end

# __tsh_other PROGRAM: the words after `tsh aws [its flags]` are a PROGRAM command line
# (`tsh aws s3 ls` is `aws s3 ls`): complete them with fish's completions for PROGRAM.
function __tsh_other
    set -l s (__tsh_state)
    set -l cur (commandline -ct)
    # Before the first word of PROGRAM, flags are ours (offered by the entries above).
    test $s[4] = 0; and string match -q -- '-*' $cur; and return
    set -l tokens (commandline -opc)
    set -l words
    test $s[4] -gt 0; and set words $tokens[$s[4]..-1]
    set -l line $argv[1] (string escape -- $words)
    complete -C "$line $cur"
end

complete -c tsh -e
complete -c tsh -f

# tsh
complete -c tsh -n "__tsh_at 'tsh' 0" -f -a login -d 'Log in to a cluster and keep a short-lived certificate in the OS keychain'
complete -c tsh -n "__tsh_at 'tsh' 0" -f -a logout -d 'Log out: end app sessions and remove keys and certificates'
complete -c tsh -n "__tsh_at 'tsh' 0" -f -a status -d 'Show the current login'
complete -c tsh -n "__tsh_at 'tsh' 0" -f -a version -d 'Print the version'
complete -c tsh -n "__tsh_at 'tsh' 0" -f -a apps -d 'List and log into apps'
complete -c tsh -n "__tsh_at 'tsh' 0" -f -a aws -d 'Run the aws CLI with the app\'s IAM role, through a local proxy'
complete -c tsh -n "__tsh_at 'tsh' 0" -f -a proxy -d 'Start local proxies'
complete -c tsh -n "__tsh_at 'tsh' 0" -f -a completion -d 'Print the shell completion script (bash, zsh, fish or powershell)'
complete -c tsh -n "__tsh_at 'tsh' 0" -f -a help -d 'display help for command'
complete -c tsh -n "__tsh_at 'tsh'" -l proxy -x -d 'address of the proxy (env TELEPORT_PROXY)'
complete -c tsh -n "__tsh_at 'tsh'" -l user -x -d 'cluster user name (env TELEPORT_USER)'
complete -c tsh -n "__tsh_at 'tsh'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tsh -n "__tsh_at 'tsh'" -s d -l debug -d 'stack traces and a request log on stderr'
complete -c tsh -n "__tsh_at 'tsh'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tsh -n "__tsh_at 'tsh'" -l version -d 'print the version'
complete -c tsh -n "__tsh_at 'tsh'" -s h -l help -d 'display help for command'

# tsh login
complete -c tsh -n "__tsh_at 'tsh login'" -l proxy -x -d 'address of the proxy (env TELEPORT_PROXY)'
complete -c tsh -n "__tsh_at 'tsh login'" -l user -x -d 'cluster user name (env TELEPORT_USER)'
complete -c tsh -n "__tsh_at 'tsh login'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tsh -n "__tsh_at 'tsh login'" -s d -l debug -d 'stack traces and a request log on stderr'
complete -c tsh -n "__tsh_at 'tsh login'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tsh -n "__tsh_at 'tsh login'" -l ttl -x -d 'how long the login lasts, in minutes (the roles may cap it)'
complete -c tsh -n "__tsh_at 'tsh login'" -s f -l format -x -a 'text json' -d 'output format (text, json)'
complete -c tsh -n "__tsh_at 'tsh login'" -s h -l help -d 'display help for command'

# tsh logout
complete -c tsh -n "__tsh_at 'tsh logout'" -l proxy -x -d 'address of the proxy (env TELEPORT_PROXY)'
complete -c tsh -n "__tsh_at 'tsh logout'" -l user -x -d 'cluster user name (env TELEPORT_USER)'
complete -c tsh -n "__tsh_at 'tsh logout'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tsh -n "__tsh_at 'tsh logout'" -s d -l debug -d 'stack traces and a request log on stderr'
complete -c tsh -n "__tsh_at 'tsh logout'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tsh -n "__tsh_at 'tsh logout'" -l force -d 'remove the local keys even when the app sessions cannot be ended on the cluster (proxy unreachable)'
complete -c tsh -n "__tsh_at 'tsh logout'" -s h -l help -d 'display help for command'

# tsh status
complete -c tsh -n "__tsh_at 'tsh status'" -l proxy -x -d 'address of the proxy (env TELEPORT_PROXY)'
complete -c tsh -n "__tsh_at 'tsh status'" -l user -x -d 'cluster user name (env TELEPORT_USER)'
complete -c tsh -n "__tsh_at 'tsh status'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tsh -n "__tsh_at 'tsh status'" -s d -l debug -d 'stack traces and a request log on stderr'
complete -c tsh -n "__tsh_at 'tsh status'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tsh -n "__tsh_at 'tsh status'" -s f -l format -x -a 'text json yaml' -d 'output format (text, json, yaml)'
complete -c tsh -n "__tsh_at 'tsh status'" -s h -l help -d 'display help for command'

# tsh version
complete -c tsh -n "__tsh_at 'tsh version'" -l proxy -x -d 'address of the proxy (env TELEPORT_PROXY)'
complete -c tsh -n "__tsh_at 'tsh version'" -l user -x -d 'cluster user name (env TELEPORT_USER)'
complete -c tsh -n "__tsh_at 'tsh version'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tsh -n "__tsh_at 'tsh version'" -s d -l debug -d 'stack traces and a request log on stderr'
complete -c tsh -n "__tsh_at 'tsh version'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tsh -n "__tsh_at 'tsh version'" -s f -l format -x -a 'text json' -d 'output format (text, json)'
complete -c tsh -n "__tsh_at 'tsh version'" -s h -l help -d 'display help for command'

# tsh apps
complete -c tsh -n "__tsh_at 'tsh apps' 0" -f -a ls -d 'List the apps you can reach'
complete -c tsh -n "__tsh_at 'tsh apps' 0" -f -a login -d 'Log into an app; for AWS apps, choose the IAM role'
complete -c tsh -n "__tsh_at 'tsh apps' 0" -f -a logout -d 'Log out of an app (all apps when none is named)'
complete -c tsh -n "__tsh_at 'tsh apps' 0" -f -a config -d 'Print an app login\'s settings (paths, certificate, role)'
complete -c tsh -n "__tsh_at 'tsh apps' 0" -f -a help -d 'display help for command'
complete -c tsh -n "__tsh_at 'tsh apps'" -s h -l help -d 'display help for command'

# tsh apps ls
complete -c tsh -n "__tsh_at 'tsh apps ls'" -l proxy -x -d 'address of the proxy (env TELEPORT_PROXY)'
complete -c tsh -n "__tsh_at 'tsh apps ls'" -l user -x -d 'cluster user name (env TELEPORT_USER)'
complete -c tsh -n "__tsh_at 'tsh apps ls'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tsh -n "__tsh_at 'tsh apps ls'" -s d -l debug -d 'stack traces and a request log on stderr'
complete -c tsh -n "__tsh_at 'tsh apps ls'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tsh -n "__tsh_at 'tsh apps ls'" -s v -l verbose -d 'also show each app\'s URI'
complete -c tsh -n "__tsh_at 'tsh apps ls'" -s f -l format -x -a 'text json yaml' -d 'output format (text, json, yaml)'
complete -c tsh -n "__tsh_at 'tsh apps ls'" -s h -l help -d 'display help for command'

# tsh apps login
complete -c tsh -n "__tsh_at 'tsh apps login'" -l proxy -x -d 'address of the proxy (env TELEPORT_PROXY)'
complete -c tsh -n "__tsh_at 'tsh apps login'" -l user -x -d 'cluster user name (env TELEPORT_USER)'
complete -c tsh -n "__tsh_at 'tsh apps login'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tsh -n "__tsh_at 'tsh apps login'" -s d -l debug -d 'stack traces and a request log on stderr'
complete -c tsh -n "__tsh_at 'tsh apps login'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tsh -n "__tsh_at 'tsh apps login'" -l aws-role -x -a '(__tsh_values roles)' -d '(AWS apps) IAM role name or ARN to use'
complete -c tsh -n "__tsh_at 'tsh apps login'" -l ttl -x -d 'lifetime of the app certificate in minutes (at most the login\'s)'
complete -c tsh -n "__tsh_at 'tsh apps login'" -s q -l quiet -d 'print nothing on success'
complete -c tsh -n "__tsh_at 'tsh apps login'" -s f -l format -x -a 'text json yaml' -d 'output format (text, json, yaml)'
complete -c tsh -n "__tsh_at 'tsh apps login'" -s h -l help -d 'display help for command'
complete -c tsh -n "__tsh_at 'tsh apps login' 0" -f -a '(__tsh_values apps)' -d 'app name (see `tsh apps ls`)'

# tsh apps logout
complete -c tsh -n "__tsh_at 'tsh apps logout'" -l proxy -x -d 'address of the proxy (env TELEPORT_PROXY)'
complete -c tsh -n "__tsh_at 'tsh apps logout'" -l user -x -d 'cluster user name (env TELEPORT_USER)'
complete -c tsh -n "__tsh_at 'tsh apps logout'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tsh -n "__tsh_at 'tsh apps logout'" -s d -l debug -d 'stack traces and a request log on stderr'
complete -c tsh -n "__tsh_at 'tsh apps logout'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tsh -n "__tsh_at 'tsh apps logout'" -s h -l help -d 'display help for command'
complete -c tsh -n "__tsh_at 'tsh apps logout' 0" -f -a '(__tsh_values app-logins)' -d 'app name'

# tsh apps config
complete -c tsh -n "__tsh_at 'tsh apps config'" -l proxy -x -d 'address of the proxy (env TELEPORT_PROXY)'
complete -c tsh -n "__tsh_at 'tsh apps config'" -l user -x -d 'cluster user name (env TELEPORT_USER)'
complete -c tsh -n "__tsh_at 'tsh apps config'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tsh -n "__tsh_at 'tsh apps config'" -s d -l debug -d 'stack traces and a request log on stderr'
complete -c tsh -n "__tsh_at 'tsh apps config'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tsh -n "__tsh_at 'tsh apps config'" -s f -l format -x -a 'text uri ca cert key curl json yaml' -d 'output format (text, uri, ca, cert, key, curl, json, yaml)'
complete -c tsh -n "__tsh_at 'tsh apps config'" -s h -l help -d 'display help for command'
complete -c tsh -n "__tsh_at 'tsh apps config' 0" -f -a '(__tsh_values app-logins)' -d 'app name (needed when logged into several)'

# tsh apps help
complete -c tsh -n "__tsh_at 'tsh apps help' 0" -f -a 'ls login logout config' -d 'command'

# tsh aws
complete -c tsh -n "__tsh_at 'tsh aws' 0" -f -a console -d 'Open the AWS Management Console in your browser, signed in as the app\'s IAM role'
complete -c tsh -n "__tsh_at 'tsh aws'" -l app -x -a '(__tsh_values app-logins)' -d 'AWS app to use when logged into several'
complete -c tsh -n "__tsh_at 'tsh aws'" -s e -l endpoint-url -d 'serve a local endpoint URL instead of an HTTPS proxy'
complete -c tsh -n "__tsh_at 'tsh aws'" -l exec -x -d 'run this command instead of aws (e.g. terraform)'
complete -c tsh -n "__tsh_at 'tsh aws'" -s h -l help -d 'display help for command'
complete -c tsh -n "__tsh_at 'tsh aws' 0; or __tsh_at 'tsh aws --'" -f -a '(__tsh_other aws)'

# tsh aws console
complete -c tsh -n "__tsh_at 'tsh aws console'" -l proxy -x -d 'address of the proxy (env TELEPORT_PROXY)'
complete -c tsh -n "__tsh_at 'tsh aws console'" -l user -x -d 'cluster user name (env TELEPORT_USER)'
complete -c tsh -n "__tsh_at 'tsh aws console'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tsh -n "__tsh_at 'tsh aws console'" -s d -l debug -d 'stack traces and a request log on stderr'
complete -c tsh -n "__tsh_at 'tsh aws console'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tsh -n "__tsh_at 'tsh aws console'" -l app -x -a '(__tsh_values app-logins)' -d 'AWS app to use when logged into several'
complete -c tsh -n "__tsh_at 'tsh aws console'" -l aws-role -x -a '(__tsh_values roles)' -d 'IAM role to sign in as (logs into the app with it first)'
complete -c tsh -n "__tsh_at 'tsh aws console'" -l print -d 'print the sign-in URL instead of opening a browser'
complete -c tsh -n "__tsh_at 'tsh aws console'" -s h -l help -d 'display help for command'

# tsh proxy
complete -c tsh -n "__tsh_at 'tsh proxy' 0" -f -a aws -d 'Start a local HTTPS proxy (or endpoint) for any AWS SDK'
complete -c tsh -n "__tsh_at 'tsh proxy' 0" -f -a help -d 'display help for command'
complete -c tsh -n "__tsh_at 'tsh proxy'" -s h -l help -d 'display help for command'

# tsh proxy aws
complete -c tsh -n "__tsh_at 'tsh proxy aws'" -l proxy -x -d 'address of the proxy (env TELEPORT_PROXY)'
complete -c tsh -n "__tsh_at 'tsh proxy aws'" -l user -x -d 'cluster user name (env TELEPORT_USER)'
complete -c tsh -n "__tsh_at 'tsh proxy aws'" -l insecure -d 'do not verify the proxy\'s certificate (test clusters only)'
complete -c tsh -n "__tsh_at 'tsh proxy aws'" -s d -l debug -d 'stack traces and a request log on stderr'
complete -c tsh -n "__tsh_at 'tsh proxy aws'" -l no-color -d 'no colour in output (also NO_COLOR)'
complete -c tsh -n "__tsh_at 'tsh proxy aws'" -s p -l port -x -d 'local port to listen on (default: a free one)'
complete -c tsh -n "__tsh_at 'tsh proxy aws'" -l app -x -a '(__tsh_values app-logins)' -d 'AWS app to use when logged into several'
complete -c tsh -n "__tsh_at 'tsh proxy aws'" -s e -l endpoint-url -d 'serve a local endpoint URL instead of an HTTPS proxy'
complete -c tsh -n "__tsh_at 'tsh proxy aws'" -s f -l format -x -a 'unix text command-prompt powershell fish json' -d 'output format (unix, text, command-prompt, powershell, fish, json)'
complete -c tsh -n "__tsh_at 'tsh proxy aws'" -s h -l help -d 'display help for command'

# tsh proxy help
complete -c tsh -n "__tsh_at 'tsh proxy help' 0" -f -a 'aws' -d 'command'

# tsh completion
complete -c tsh -n "__tsh_at 'tsh completion'" -s h -l help -d 'display help for command'
complete -c tsh -n "__tsh_at 'tsh completion' 0" -f -a 'bash zsh fish powershell' -d 'your shell'

# tsh help
complete -c tsh -n "__tsh_at 'tsh help' 0" -f -a 'login logout status version apps aws proxy completion' -d 'command'
