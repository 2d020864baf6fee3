#!/usr/bin/env bash
# The README's test line: installs what a fresh machine lacks, then runs every check.
#   apt: chromium + CJK fonts (e2e), socat (serial pty pairs); npm ci without Electron's binary;
#   PostgreSQL installed (Debian's package) where missing and started (the cloud API's tests use it);
#   Node.js 22 into .tools/ where the machine's Node is older than 22.12 (scripts/node-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# apt's own errors still show; its note that apt-utils is missing (harmless) does not.
apt_install() {
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" 2>&1 >/dev/null |
    { grep -v '^debconf: delaying package configuration' >&2 || true; }
}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v socat >/dev/null 2>&1 || missing+=(socat)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  apt_install "${missing[@]}"
fi

# PostgreSQL for the cloud API's tests: Debian's package where none is installed. A cluster this
# script creates trusts loopback connections (the tests connect as postgres@127.0.0.1 with no
# password) and gets the database `test`; an existing cluster is only started, never reconfigured.
fresh_postgres=0
if [ ! -d /etc/postgresql ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "installing: postgresql"
  sudo_if_needed apt-get update -qq
  apt_install postgresql
  fresh_postgres=1
fi
version=$(ls /etc/postgresql | head -n 1)
if [ "$fresh_postgres" = 1 ]; then
  [ -d "/etc/postgresql/$version/main" ] || sudo_if_needed pg_createcluster "$version" main >/dev/null
  sudo_if_needed sed -i -E 's#^(host[[:space:]]+all[[:space:]]+all[[:space:]]+(127\.0\.0\.1/32|::1/128)[[:space:]]+)[^[:space:]]+#\1trust#' "/etc/postgresql/$version/main/pg_hba.conf"
fi
if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
  sudo_if_needed pg_ctlcluster --skip-systemctl-redirect "$version" main start || echo "warning: PostgreSQL did not start"
fi
pg_isready -h 127.0.0.1 -p 5432 -t 30 >/dev/null || echo "warning: PostgreSQL is not answering on 127.0.0.1:5432"
if [ "$fresh_postgres" = 1 ]; then
  sudo_if_needed su postgres -c "psql -qc 'CREATE DATABASE test'" >/dev/null 2>&1 || true
fi

install_packages
npm test
