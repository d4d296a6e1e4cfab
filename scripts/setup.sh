#!/usr/bin/env bash
# Installs what tsh-aws needs to build, run the demo and run the tests on a
# Debian machine: the Debian packages that are missing (apt-get), then the
# npm packages from the lockfile (npm ci). Safe to run again: it installs
# only what is missing and npm ci is repeatable.
set -euo pipefail
cd "$(dirname "$0")/.."

# awscli, python3-boto3: the real AWS clients (/usr/bin/aws CLI v2, boto3 for /usr/bin/python3)
# gnome-keyring, libsecret-tools, dbus, dbus-x11: a real OS keychain for the keychain tests
# postgresql: the PostgreSQL backend; chromium: the invite page in a real browser
# zsh, fish, tmux: completion and terminal tests; jq, curl, openssl: the guide's pipelines and
# certificate checks; hyperfine: benchmarks; python3, make, g++: better-sqlite3 builds from source
packages=(awscli python3-boto3 gnome-keyring libsecret-tools dbus dbus-x11 postgresql chromium
  zsh fish tmux jq curl openssl hyperfine python3 make g++)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Native modules (better-sqlite3) build against the installed Node's headers; nodejs.org may be unreachable.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
npm ci --no-audit --no-fund
