# PowerShell completion for tctl. Generated from tctl's command tree by `npm run completions`; do not edit.
#
# Install (Windows PowerShell 5.1 or PowerShell 7), in your $PROFILE:
#   tctl completion powershell | Out-String | Invoke-Expression

# One entry per command: its subcommands (and aliases), the flags followed by a value, the flag and
# the argument index naming an app, whether the words after its first argument belong to another
# program (pass), and every flag and subcommand with its description.
$__tctl_nodes = @{
    'tctl' = @{
        subs = @('status', 'create', 'get', 'rm', 'lock', 'locks', 'users', 'tokens', 'proxies', 'apps', 'audit', 'completion', 'version', 'help')
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('--version', 'print the version'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @(@('status', 'Show the cluster name, version and CA pin'), @('create', 'Create roles, users and locks from a YAML file (kind: role v5, kind: user v2, kind: lock v2)'), @('get', 'Show resources: roles, users, tokens, locks, role/NAME, user/NAME, lock/ID'), @('rm', 'Remove a resource: role/NAME, user/NAME, token/NAME, lock/ID'), @('lock', 'Lock a user or a role out: logins, API calls and app requests are refused at once, live app connections closed'), @('locks', 'Locks in force'), @('users', 'Manage users'), @('tokens', 'Manage join tokens'), @('proxies', 'The proxies of the cluster'), @('apps', 'Apps and the agents serving them'), @('audit', 'The audit log'), @('completion', 'Print the shell completion script (bash, zsh, fish or powershell)'), @('version', 'Print the version'), @('help', 'display help for command'))
    }
    'tctl status' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (text, json, yaml)'), @('--format', 'output format (text, json, yaml)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl create' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'overwrite resources that exist'), @('--force', 'overwrite resources that exist'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl get' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (yaml, json, text)'), @('--format', 'output format (yaml, json, text)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl rm' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl lock' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '--user', '--role', '--message', '--ttl', '--expires')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('--user', 'the user to lock'), @('--role', 'the role to lock: every user and certificate holding it'), @('--message', 'what the locked user is told'), @('--ttl', 'how long the lock holds (e.g. 30m, 10h); without it, until `tctl rm lock/ID`'), @('--expires', 'when the lock ends, as an RFC 3339 time (instead of --ttl)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl locks' = @{
        subs = @('ls', 'help')
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @(@('ls', 'List the locks in force'), @('help', 'display help for command'))
    }
    'tctl locks ls' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (text, json, yaml)'), @('--format', 'output format (text, json, yaml)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl locks help' = @{
        subs = @()
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @()
        cmds = @()
    }
    'tctl users' = @{
        subs = @('add', 'update', 'ls', 'rm', 'reset', 'help')
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @(@('add', 'Create a user and print an invite link (valid 1h)'), @('update', 'Change a user''s roles or IAM role ARNs'), @('ls', 'List users'), @('rm', 'Remove a user and end their app sessions at once'), @('reset', 'Clear a user''s password and second factor and print a new setup link'), @('help', 'display help for command'))
    }
    'tctl users add' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '--roles', '--aws-role-arns', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('--roles', 'comma-separated roles, e.g. access,editor'), @('--aws-role-arns', 'comma-separated IAM role ARNs for the aws_role_arns trait'), @('-f', 'output format (text, json)'), @('--format', 'output format (text, json)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl users update' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '--set-roles', '--set-aws-role-arns')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('--set-roles', 'replace the roles (comma-separated)'), @('--set-aws-role-arns', 'replace the aws_role_arns trait (comma-separated; empty to clear)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl users ls' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (text, json, yaml)'), @('--format', 'output format (text, json, yaml)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl users rm' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl users reset' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (text, json)'), @('--format', 'output format (text, json)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl users help' = @{
        subs = @()
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @()
        cmds = @()
    }
    'tctl tokens' = @{
        subs = @('add', 'ls', 'rm', 'help')
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @(@('add', 'Create a join token for an app service'), @('ls', 'List join tokens'), @('rm', 'Remove a join token'), @('help', 'display help for command'))
    }
    'tctl tokens add' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '--type', '--app-name', '--app-uri', '--ttl', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('--type', 'token type (app)'), @('--app-name', 'name of the app the new service will serve'), @('--app-uri', 'URI of that app (an AWS console URL for AWS access)'), @('--ttl', 'how long the token is valid (e.g. 30m, 1h)'), @('--format', 'output format (text, json)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl tokens ls' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (text, json, yaml)'), @('--format', 'output format (text, json, yaml)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl tokens rm' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl tokens help' = @{
        subs = @()
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @()
        cmds = @()
    }
    'tctl proxies' = @{
        subs = @('ls', 'help')
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @(@('ls', 'List the proxies heartbeating into the cluster (one per auth+proxy instance)'), @('help', 'display help for command'))
    }
    'tctl proxies ls' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (text, json, yaml)'), @('--format', 'output format (text, json, yaml)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl proxies help' = @{
        subs = @()
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @()
        cmds = @()
    }
    'tctl apps' = @{
        subs = @('ls', 'help')
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @(@('ls', 'List apps and their agents'), @('help', 'display help for command'))
    }
    'tctl apps ls' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (text, json, yaml)'), @('--format', 'output format (text, json, yaml)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl apps help' = @{
        subs = @()
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @()
        cmds = @()
    }
    'tctl audit' = @{
        subs = @('events', 'help')
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @(@('events', 'Show audit events'), @('help', 'display help for command'))
    }
    'tctl audit events' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '--since', '--type', '--limit', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('--since', 'how far back (e.g. 15m, 1h, 24h)'), @('--type', 'only this event type (e.g. app.session.start)'), @('--limit', 'at most this many (the newest)'), @('-f', 'output format (text, json)'), @('--format', 'output format (text, json)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl audit help' = @{
        subs = @()
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @()
        cmds = @()
    }
    'tctl completion' = @{
        subs = @()
        aliases = @{  }
        vopts = @()
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl version' = @{
        subs = @()
        aliases = @{  }
        vopts = @('-c', '--config', '--proxy', '-f', '--format')
        appopt = ''
        apparg = -1
        pass = $false
        opts = @(@('-c', 'teleport.yaml of this auth host: act as the local administrator'), @('--config', 'teleport.yaml of this auth host: act as the local administrator'), @('--proxy', 'proxy of the tsh profile to use (env TELEPORT_PROXY)'), @('--insecure', 'do not verify the proxy''s certificate (test clusters only)'), @('-d', 'stack traces on stderr'), @('--debug', 'stack traces on stderr'), @('--no-color', 'no colour in output (also NO_COLOR)'), @('-f', 'output format (text, json)'), @('--format', 'output format (text, json)'), @('-h', 'display help for command'), @('--help', 'display help for command'))
        cmds = @()
    }
    'tctl help' = @{
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
#   'w' these words, 'd' `tctl __complete SOURCE [APP]` (local files only), 'f' file names.
$__tctl_values = @{
    'tctl|-c' = @('f')
    'tctl|--config' = @('f')
    'tctl status|-c' = @('f')
    'tctl status|--config' = @('f')
    'tctl status|-f' = @('w', 'text', 'json', 'yaml')
    'tctl status|--format' = @('w', 'text', 'json', 'yaml')
    'tctl create|-c' = @('f')
    'tctl create|--config' = @('f')
    'tctl create|#0' = @('f')
    'tctl get|-c' = @('f')
    'tctl get|--config' = @('f')
    'tctl get|-f' = @('w', 'yaml', 'json', 'text')
    'tctl get|--format' = @('w', 'yaml', 'json', 'text')
    'tctl rm|-c' = @('f')
    'tctl rm|--config' = @('f')
    'tctl lock|-c' = @('f')
    'tctl lock|--config' = @('f')
    'tctl locks ls|-c' = @('f')
    'tctl locks ls|--config' = @('f')
    'tctl locks ls|-f' = @('w', 'text', 'json', 'yaml')
    'tctl locks ls|--format' = @('w', 'text', 'json', 'yaml')
    'tctl locks help|#0' = @('w', 'ls')
    'tctl users add|-c' = @('f')
    'tctl users add|--config' = @('f')
    'tctl users add|-f' = @('w', 'text', 'json')
    'tctl users add|--format' = @('w', 'text', 'json')
    'tctl users update|-c' = @('f')
    'tctl users update|--config' = @('f')
    'tctl users ls|-c' = @('f')
    'tctl users ls|--config' = @('f')
    'tctl users ls|-f' = @('w', 'text', 'json', 'yaml')
    'tctl users ls|--format' = @('w', 'text', 'json', 'yaml')
    'tctl users rm|-c' = @('f')
    'tctl users rm|--config' = @('f')
    'tctl users reset|-c' = @('f')
    'tctl users reset|--config' = @('f')
    'tctl users reset|-f' = @('w', 'text', 'json')
    'tctl users reset|--format' = @('w', 'text', 'json')
    'tctl users help|#0' = @('w', 'add', 'update', 'ls', 'rm', 'reset')
    'tctl tokens add|-c' = @('f')
    'tctl tokens add|--config' = @('f')
    'tctl tokens add|--format' = @('w', 'text', 'json')
    'tctl tokens ls|-c' = @('f')
    'tctl tokens ls|--config' = @('f')
    'tctl tokens ls|-f' = @('w', 'text', 'json', 'yaml')
    'tctl tokens ls|--format' = @('w', 'text', 'json', 'yaml')
    'tctl tokens rm|-c' = @('f')
    'tctl tokens rm|--config' = @('f')
    'tctl tokens help|#0' = @('w', 'add', 'ls', 'rm')
    'tctl proxies ls|-c' = @('f')
    'tctl proxies ls|--config' = @('f')
    'tctl proxies ls|-f' = @('w', 'text', 'json', 'yaml')
    'tctl proxies ls|--format' = @('w', 'text', 'json', 'yaml')
    'tctl proxies help|#0' = @('w', 'ls')
    'tctl apps ls|-c' = @('f')
    'tctl apps ls|--config' = @('f')
    'tctl apps ls|-f' = @('w', 'text', 'json', 'yaml')
    'tctl apps ls|--format' = @('w', 'text', 'json', 'yaml')
    'tctl apps help|#0' = @('w', 'ls')
    'tctl audit events|-c' = @('f')
    'tctl audit events|--config' = @('f')
    'tctl audit events|-f' = @('w', 'text', 'json')
    'tctl audit events|--format' = @('w', 'text', 'json')
    'tctl audit help|#0' = @('w', 'events')
    'tctl completion|#0' = @('w', 'bash', 'zsh', 'fish', 'powershell')
    'tctl version|-c' = @('f')
    'tctl version|--config' = @('f')
    'tctl version|-f' = @('w', 'text', 'json')
    'tctl version|--format' = @('w', 'text', 'json')
    'tctl help|#0' = @('w', 'status', 'create', 'get', 'rm', 'lock', 'locks', 'users', 'tokens', 'proxies', 'apps', 'audit', 'completion', 'version')
}

Register-ArgumentCompleter -Native -CommandName 'tctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $nodes = $__tctl_nodes
    $valueTable = $__tctl_values
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

    $path = 'tctl'
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

    # After `tctl aws [its flags] WORD`, the words are the other program's: nothing of ours.
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
