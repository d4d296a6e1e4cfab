# PowerShell completion for tsh. Generated from tsh's command tree by `npm run completions`; do not edit.
#
# Install (Windows PowerShell 5.1 or PowerShell 7), in your $PROFILE:
#   tsh completion powershell | Out-String | Invoke-Expression

# One entry per command: its subcommands (and aliases), the flags followed by a value, the flag and
# the argument index naming an app, whether the words after its first argument belong to another
# program (pass), and every flag and subcommand with its description.
$__tsh_nodes = @{
    'tsh' = @{
        subs = @('login', 'logout', 'status', 'version', 'apps', 'aws', 'proxy', 'completion', 'help')
        aliases = @{ 'app' = 'apps' }
        vopts = @('--proxy', '--user')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('--proxy', 'address of the proxy (env TELEPORT_PROXY)'), @('--user', 'cluster user name (env TELEPORT_USER)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces and a request log on stderr'), @('--debug', 'stack traces and a request log on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('--version', 'print the version'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @(@('login', 'Log in to a cluster and keep a short-lived certificate in the OS keychain'), @('logout', 'Log out: end app sessions and remove keys and certificates'), @('status', 'Show the current login'), @('version', 'Print the version'), @('apps', 'List and log into apps'), @('aws', 'Run the aws CLI with the app''s IAM role, through a local proxy'), @('proxy', 'Start local proxies'), @('completion', 'Print the shell completion script (bash, zsh, fish or powershell)'), @('help', 'display help for command'))
    }
    'tsh login' = @{
        subs = @()
        aliases = @{  }
        vopts = @('--proxy', '--user', '--ttl', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('--proxy', 'address of the proxy (env TELEPORT_PROXY)'), @('--user', 'cluster user name (env TELEPORT_USER)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces and a request log on stderr'), @('--debug', 'stack traces and a request log on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('--ttl', 'how long the login lasts, in minutes (the roles may cap it)'), @('-f', 'output format (text, json)'), @('--format', 'output format (text, json)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tsh logout' = @{
        subs = @()
        aliases = @{  }
        vopts = @('--proxy', '--user')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('--proxy', 'address of the proxy (env TELEPORT_PROXY)'), @('--user', 'cluster user name (env TELEPORT_USER)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces and a request log on stderr'), @('--debug', 'stack traces and a request log on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('--force', 'remove the local keys even when the app sessions cannot be ended on the cluster (proxy unreachable)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tsh status' = @{
        subs = @()
        aliases = @{  }
        vopts = @('--proxy', '--user', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('--proxy', 'address of the proxy (env TELEPORT_PROXY)'), @('--user', 'cluster user name (env TELEPORT_USER)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces and a request log on stderr'), @('--debug', 'stack traces and a request log on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (text, json, yaml)'), @('--format', 'output format (text, json, yaml)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tsh version' = @{
        subs = @()
        aliases = @{  }
        vopts = @('--proxy', '--user', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('--proxy', 'address of the proxy (env TELEPORT_PROXY)'), @('--user', 'cluster user name (env TELEPORT_USER)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces and a request log on stderr'), @('--debug', 'stack traces and a request log on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (text, json)'), @('--format', 'output format (text, json)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tsh apps' = @{
        subs = @('ls', 'login', 'logout', 'config', 'help')
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @(@('ls', 'List the apps you can reach'), @('login', 'Log into an app; for AWS apps, choose the IAM role'), @('logout', 'Log out of an app (all apps when none is named)'), @('config', 'Print an app login''s settings (paths, certificate, role)'), @('help', 'display help for command'))
    }
    'tsh apps ls' = @{
        subs = @()
        aliases = @{  }
        vopts = @('--proxy', '--user', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('--proxy', 'address of the proxy (env TELEPORT_PROXY)'), @('--user', 'cluster user name (env TELEPORT_USER)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces and a request log on stderr'), @('--debug', 'stack traces and a request log on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-v', 'also show each app''s URI'), @('--verbose', 'also show each app''s URI'), @('-f', 'output format (text, json, yaml)'), @('--format', 'output format (text, json, yaml)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tsh apps login' = @{
        subs = @()
        aliases = @{  }
        vopts = @('--proxy', '--user', '--aws-role', '--ttl', '-f', '--format')
        appopt = ''
        apparg = 0
        pass = $false
        opts = @(@('--proxy', 'address of the proxy (env TELEPORT_PROXY)'), @('--user', 'cluster user name (env TELEPORT_USER)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces and a request log on stderr'), @('--debug', 'stack traces and a request log on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('--aws-role', '(AWS apps) IAM role name or ARN to use'), @('--ttl', 'lifetime of the app certificate in minutes (at most the login''s)'), @('-q', 'print nothing on success'), @('--quiet', 'print nothing on success'), @('-f', 'output format (text, json, yaml)'), @('--format', 'output format (text, json, yaml)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tsh apps logout' = @{
        subs = @()
        aliases = @{  }
        vopts = @('--proxy', '--user')
        appopt = ''
        apparg = 0
        pass = $false
        opts = @(@('--proxy', 'address of the proxy (env TELEPORT_PROXY)'), @('--user', 'cluster user name (env TELEPORT_USER)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces and a request log on stderr'), @('--debug', 'stack traces and a request log on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tsh apps config' = @{
        subs = @()
        aliases = @{  }
        vopts = @('--proxy', '--user', '-f', '--format')
        appopt = ''
        apparg = 0
        pass = $false
        opts = @(@('--proxy', 'address of the proxy (env TELEPORT_PROXY)'), @('--user', 'cluster user name (env TELEPORT_USER)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces and a request log on stderr'), @('--debug', 'stack traces and a request log on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (text, uri, ca, cert, key, curl, json, yaml)'), @('--format', 'output format (text, uri, ca, cert, key, curl, json, yaml)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tsh apps help' = @{
        subs = @()
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @()
        cmds = @()
    }
    'tsh aws' = @{
        subs = @('console')
        aliases = @{  }
        vopts = @('--app', '--exec')
        appopt = '--app'
        apparg = -1
        pass = $true
        opts = @(@('--app', 'AWS app to use when logged into several'), @('-e', 'serve a local endpoint URL instead of an HTTPS proxy'), @('--endpoint-url', 'serve a local endpoint URL instead of an HTTPS proxy'), @('--exec', 'run this command instead of aws (e.g. terraform)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @(,@('console', 'Open the AWS Management Console in your browser, signed in as the app''s IAM role'))
    }
    'tsh aws console' = @{
        subs = @()
        aliases = @{  }
        vopts = @('--proxy', '--user', '--app', '--aws-role')
        appopt = '--app'
        apparg = -1
        pass = $false
        opts = @(@('--proxy', 'address of the proxy (env TELEPORT_PROXY)'), @('--user', 'cluster user name (env TELEPORT_USER)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces and a request log on stderr'), @('--debug', 'stack traces and a request log on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('--app', 'AWS app to use when logged into several'), @('--aws-role', 'IAM role to sign in as (logs into the app with it first)'), @('--print', 'print the sign-in URL instead of opening a browser'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tsh proxy' = @{
        subs = @('aws', 'help')
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @(@('aws', 'Start a local HTTPS proxy (or endpoint) for any AWS SDK'), @('help', 'display help for command'))
    }
    'tsh proxy aws' = @{
        subs = @()
        aliases = @{  }
        vopts = @('--proxy', '--user', '-p', '--port', '--app', '-f', '--format')
        appopt = '--app'
        apparg = -1
        pass = $false
        opts = @(@('--proxy', 'address of the proxy (env TELEPORT_PROXY)'), @('--user', 'cluster user name (env TELEPORT_USER)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces and a request log on stderr'), @('--debug', 'stack traces and a request log on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-p', 'local port to listen on (default: a free one)'), @('--port', 'local port to listen on (default: a free one)'), @('--app', 'AWS app to use when logged into several'), @('-e', 'serve a local endpoint URL instead of an HTTPS proxy'), @('--endpoint-url', 'serve a local endpoint URL instead of an HTTPS proxy'), @('-f', 'output format (unix, text, command-prompt, powershell, fish, json)'), @('--format', 'output format (unix, text, command-prompt, powershell, fish, json)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tsh proxy help' = @{
        subs = @()
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @()
        cmds = @()
    }
    'tsh completion' = @{
        subs = @()
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tsh help' = @{
        subs = @()
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @()
        cmds = @()
    }
}

# Where values come from, by 'COMMAND|FLAG' or 'COMMAND|#INDEX' ('#*': every argument):
#   'w' these words, 'd' `tsh __complete SOURCE [APP]` (local files only), 'f' file names.
$__tsh_values = @{
    'tsh login|-f' = @('w', 'text', 'json')
    'tsh login|--format' = @('w', 'text', 'json')
    'tsh status|-f' = @('w', 'text', 'json', 'yaml')
    'tsh status|--format' = @('w', 'text', 'json', 'yaml')
    'tsh version|-f' = @('w', 'text', 'json')
    'tsh version|--format' = @('w', 'text', 'json')
    'tsh apps ls|-f' = @('w', 'text', 'json', 'yaml')
    'tsh apps ls|--format' = @('w', 'text', 'json', 'yaml')
    'tsh apps login|--aws-role' = @('d', 'roles')
    'tsh apps login|-f' = @('w', 'text', 'json', 'yaml')
    'tsh apps login|--format' = @('w', 'text', 'json', 'yaml')
    'tsh apps login|#0' = @('d', 'apps')
    'tsh apps logout|#0' = @('d', 'app-logins')
    'tsh apps config|-f' = @('w', 'text', 'uri', 'ca', 'cert', 'key', 'curl', 'json', 'yaml')
    'tsh apps config|--format' = @('w', 'text', 'uri', 'ca', 'cert', 'key', 'curl', 'json', 'yaml')
    'tsh apps config|#0' = @('d', 'app-logins')
    'tsh apps help|#0' = @('w', 'ls', 'login', 'logout', 'config')
    'tsh aws|--app' = @('d', 'app-logins')
    'tsh aws console|--app' = @('d', 'app-logins')
    'tsh aws console|--aws-role' = @('d', 'roles')
    'tsh proxy aws|--app' = @('d', 'app-logins')
    'tsh proxy aws|-f' = @('w', 'unix', 'text', 'command-prompt', 'powershell', 'fish', 'json')
    'tsh proxy aws|--format' = @('w', 'unix', 'text', 'command-prompt', 'powershell', 'fish', 'json')
    'tsh proxy help|#0' = @('w', 'aws')
    'tsh completion|#0' = @('w', 'bash', 'zsh', 'fish', 'powershell')
    'tsh help|#0' = @('w', 'login', 'logout', 'status', 'version', 'apps', 'aws', 'proxy', 'completion')
}

Register-ArgumentCompleter -Native -CommandName 'tsh' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $nodes = $__tsh_nodes
    $valueTable = $__tsh_values
    $result = {
        param($text, $type, $tip)
        $shown = if ($text -match '[\s''"`$;&|(){}<>]') { "'" + ($text -replace "'", "''") + "'" } else { $text }
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

    $path = 'tsh'
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
        if (-not $entry -and $entryKey -like '*|#*') { $entry = $valueTable[($entryKey -replace '#\d+$', '#*')] }
        if (-not $entry -or $entry[0] -eq 'f') { return }
        if ($entry[0] -eq 'w') {
            $entry | Select-Object -Skip 1 | Where-Object { $_ -like "$prefix*" } | ForEach-Object { & $result "$shown$_" 'ParameterValue' $_ }
            return
        }
        $program = $commandAst.CommandElements[0].Extent.Text
        & $program __complete $entry[1] $app 2>$null | ForEach-Object {
            $value, $tip = "$_" -split "`t", 2
            if ($value -and $value -like "$prefix*") { & $result "$shown$value" 'ParameterValue' $tip }
        }
    }

    # After `tsh aws [its flags] WORD`, the words are the other program's: nothing of ours.
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
