#!/usr/bin/env bash
# The README's register line: a Node.js 22.12+ (installed into .tools/ where the machine's is older),
# the npm packages (without Electron's binary), then the kiosk host with the arguments given,
# e.g. `bash scripts/setup-and-serve.sh --demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
install_packages
exec npm run serve --silent -- "$@"
