/**
 * How to install a program's completion script, for `completion --help`. Kept
 * apart from the generators so the command tree can show it without loading them.
 */
export function installHelp(program: string): string {
  return `
Install:
  bash  source <(${program} completion bash)        (in ~/.bashrc)
  zsh   ${program} completion zsh > ~/.zfunc/_${program}   (with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc)
        or: source <(${program} completion zsh)      (in ~/.zshrc, after compinit)
  fish  ${program} completion fish > ~/.config/fish/completions/${program}.fish
  powershell  ${program} completion powershell | Out-String | Invoke-Expression   (in $PROFILE)
${program === 'tsh' ? '\nApp and role names come from the last `tsh apps ls` and your app logins under TELEPORT_HOME.\n' : ''}`;
}
