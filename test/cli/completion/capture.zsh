# Prints what zsh's completion system offers for a line, one match per line.
#
#   zsh -f capture.zsh FPATH_DIR 'tsh apps lo' [SETUP]
#
# SETUP is more zsh code to run after compinit (e.g. another program's completion).
# An interactive zsh runs in a pseudo-terminal (the zpty module) with compinit and FPATH_DIR (holding
# the generated _tsh) on $fpath, the line is typed followed by TAB, and zsh's completion machinery
# runs as it does for a user: _main_complete, the generated _arguments functions, _describe, the calls
# to `tsh __complete`. Only the last step is intercepted: compadd still matches the candidates against
# the word (builtin compadd -A) and then prints the matches instead of showing a menu.
# (After the approach of Valodim's zsh-capture-completion.)
zmodload zsh/zpty || { print -u2 'capture.zsh: no zsh/zpty module'; exit 2 }

local dir=$1 line=$2 setup=${3-} out
local init=${TMPDIR:-/tmp}/capture-init.$$.zsh
cat >$init <<EOF
PROMPT= RPROMPT= PS2=
fpath=(${(q)dir} \$fpath)
autoload -Uz compinit && compinit -u -D
$setup
bindkey '^M' undefined
bindkey '^J' undefined
bindkey '^I' complete-word
__capture_mark() { print -r -- '<<<CAPTURE>>>' }
compprefuncs=(__capture_mark)
comppostfuncs=(__capture_mark exit)
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
compadd() {
  # Internal calls that only collect matches into arrays: leave them alone.
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "\$@"
    return
  fi
  local -a __hits
  builtin compadd -A __hits "\$@"
  local h
  # As it would appear on the line: with the prefix _arguments moved aside (--format=).
  for h in \$__hits; do print -r -- "MATCH:\$IPREFIX\$h"; done
  builtin compadd "\$@"
}
print -r -- '<<<READY>>>'
EOF

zpty z zsh -f -i
zpty -w z "source ${(q)init}"
# Wait for the init to finish (its marker): compinit can take seconds on a loaded machine.
local ready=0 started=$(( SECONDS + 30 ))
while (( SECONDS < started )); do
  if zpty -r -t z out; then
    [[ $out == *'<<<READY>>>'* && $out != *source* ]] && { ready=1; break }
  else
    sleep 0.02
  fi
done
rm -f $init
(( ready )) || { print -u2 'capture.zsh: the shell did not start'; zpty -d z; exit 2 }

zpty -w -n z "$line"$'\t'
# Print the matches between the two markers.
local marks=0 deadline=$(( SECONDS + 20 ))
while (( SECONDS < deadline )); do
  if zpty -r -t z out; then
    out=${${out//$'\r'/}//$'\n'/}
    [[ $out == *'<<<CAPTURE>>>'* ]] && { (( ++marks == 2 )) && break; continue }
    (( marks == 1 )) && [[ $out == MATCH:* ]] && print -r -- ${out#MATCH:}
  else
    zpty -t z || break
    sleep 0.05
  fi
done
zpty -d z 2>/dev/null
(( marks == 2 )) || { print -u2 "capture.zsh: no completion finished for: $line"; exit 3 }
exit 0
