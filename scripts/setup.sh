#!/usr/bin/env bash
# Sets up a Debian (or Ubuntu) machine for tsh-aws, from a checkout:
#
#   bash scripts/setup.sh --demo   what `npm run demo` needs: the aws CLI and boto3
#   bash scripts/setup.sh          what the tests need (what CI runs): the demo's, plus a keychain,
#                                  PostgreSQL, Chromium, HAProxy, Go, systemd, shells and tools
#
# It checks Node.js 20+ and npm first (Debian 12's own nodejs is 18: too old), installs the
# Debian packages that are missing (apt-get, with sudo when not root; when none is missing it
# runs neither), then the npm packages from the lockfile (npm ci). Safe to run again.
set -euo pipefail
cd "${BASH_SOURCE[0]%/*}/.."

mode=tests
case "${1-}" in
  '') ;;
  --demo) mode=demo ;;
  *) echo "setup: unknown option \"$1\": use --demo for the demo only, or nothing for everything the tests need" >&2; exit 2 ;;
esac

need_node() {
  echo "setup: $1." >&2
  echo "setup: tsh-aws needs Node.js 20 or newer, with npm. Debian 12's own nodejs package is 18; install Node.js 20+" >&2
  echo "       from NodeSource (https://github.com/nodesource/distributions; its nodejs package includes npm)" >&2
  echo "       or with nvm (https://github.com/nvm-sh/nvm), then run this script again." >&2
  exit 1
}
command -v node >/dev/null 2>&1 || need_node "node is not on PATH"
node_version=$(node --version 2>/dev/null || true)
node_major=${node_version#v}
node_major=${node_major%%.*}
[[ $node_major =~ ^[0-9]+$ ]] && ((node_major >= 20)) || need_node "Node.js ${node_version:-(unknown version)} is too old"
command -v npm >/dev/null 2>&1 || need_node "npm is not on PATH (Node.js $node_version is)"

# The demo: awscli and python3-boto3 (the real AWS clients: /usr/bin/aws CLI v2, boto3 for
# /usr/bin/python3); python3, make, g++ to build better-sqlite3 from source (no prebuilt download).
packages=(awscli python3-boto3 python3 make g++)
if [ "$mode" = tests ]; then
  # gnome-keyring, libsecret-tools, dbus, dbus-x11: a real OS keychain; postgresql: the PostgreSQL
  # backend; chromium: web pages in a real browser; haproxy: the load balancer of the HA tests;
  # golang-go, golang-github-aws-aws-sdk-go-v2-dev: the Go reference chain of the benchmark;
  # systemd: `systemd-analyze verify` of the unit `teleport install systemd` writes; zsh, fish,
  # tmux: completion and terminal tests; jq, curl, openssl: the guide's pipelines and certificate
  # checks; hyperfine: benchmarks.
  packages+=(gnome-keyring libsecret-tools dbus dbus-x11 postgresql chromium haproxy golang-go
    golang-github-aws-aws-sdk-go-v2-dev systemd zsh fish tmux jq curl openssl hyperfine)
fi

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null 2>&1 || { echo "setup: installing ${missing[*]} needs root: run this as root, or install sudo" >&2; exit 1; }
      sudo=(sudo)
    fi
    echo "setup: installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
else
  echo "setup: not a Debian-like system (no dpkg-query): install these yourself if they are missing: ${packages[*]}" >&2
fi

# Native modules (better-sqlite3) build against the installed Node's headers; nodejs.org may be unreachable.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
npm ci --no-audit --no-fund
