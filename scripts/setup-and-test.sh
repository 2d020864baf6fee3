#!/usr/bin/env bash
# The README's test line: installs what a fresh machine lacks, then runs every check.
#   apt: chromium + CJK fonts (e2e), socat (serial pty pairs); npm ci without Electron's binary;
#   PostgreSQL started if it is installed but not running (the cloud API's tests use it).
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v socat >/dev/null 2>&1 || missing+=(socat)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null 2>&1; then
  version=$(ls /etc/postgresql | head -n 1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
    sudo_if_needed pg_ctlcluster --skip-systemctl-redirect "$version" main start || echo "warning: PostgreSQL did not start"
  fi
fi

ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
npm test
