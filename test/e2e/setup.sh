#!/usr/bin/env bash
# Installs the end-to-end harness: code-server 4.100.3 (VS Code 1.100, the last line that runs on
# Node 20) into test/e2e/node_modules, from test/e2e/package-lock.json. Idempotent and offline-safe:
#  - code-server's native modules build against the system Node headers (npm_config_nodedir=/usr);
#  - @vscode/ripgrep would download a binary from GitHub (unreachable here); it skips the download
#    when its cache already holds the tarball, so we pack Debian's /usr/bin/rg into that file first.
# Run by .ci/run before `npm test`; the e2e test skips itself (with the reason) when this has not run.
set -euo pipefail
cd "$(dirname "$0")"

if [ -x node_modules/code-server/out/node/entry.js ] || [ -f node_modules/code-server/out/node/entry.js ]; then
  if [ -f node_modules/.resgraph-e2e-ok ]; then
    echo "e2e setup: code-server already installed."
    exit 0
  fi
fi

need_apt=()
[ -x /usr/bin/rg ] || need_apt+=(ripgrep)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s build-essential >/dev/null 2>&1 || need_apt+=(build-essential)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "e2e setup: apt-get install ${need_apt[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_apt[@]}"
fi

# @vscode/ripgrep 1.15.11 looks for this exact tarball in $TMPDIR before downloading.
tmp="${TMPDIR:-/tmp}"
cache="$tmp/vscode-ripgrep-cache-1.15.11"
tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$tarball" ]; then
  mkdir -p "$cache"
  stage="$(mktemp -d)"
  cp /usr/bin/rg "$stage/rg"
  tar -czf "$tarball" -C "$stage" rg
  rm -rf "$stage"
fi

export npm_config_nodedir=/usr
export npm_config_yes=true
# code-server's postinstall refuses to run as root without this.
export npm_config_unsafe_perm=true
start=$(date +%s)
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --unsafe-perm
else
  npm install --no-audit --no-fund --unsafe-perm
fi
touch node_modules/.resgraph-e2e-ok
echo "e2e setup: code-server $(node -p 'require("./node_modules/code-server/package.json").version') installed in $(( $(date +%s) - start )) s."
