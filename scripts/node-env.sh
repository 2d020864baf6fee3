# Sourced by the README's two set-up scripts: makes `node` on PATH a Node.js 22.12 or newer.
# Electron's install and build tools (electron, @electron/get, @electron/rebuild, node-abi) and
# i18next need 22.12+; Node 20 left support in April 2026. Where the machine's Node is older, a
# pinned Node.js 22 LTS is installed once from the npm registry (the `node-<os>-<arch>` packages carry
# the official binaries and headers; npm checks the tarball against the registry's integrity hash)
# into .tools/, and put first on PATH for this script and what it starts.
SUANPAN_NODE_VERSION=22.23.5

node_is_recent() {
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null
}

if ! node_is_recent; then
  case "$(uname -s)" in Linux) node_os=linux ;; Darwin) node_os=darwin ;; *) node_os=unsupported ;; esac
  case "$(uname -m)" in x86_64 | amd64) node_arch=x64 ;; aarch64 | arm64) node_arch=arm64 ;; *) node_arch=unsupported ;; esac
  if ! command -v npm >/dev/null 2>&1 || [ "$node_os" = unsupported ] || [ "$node_arch" = unsupported ]; then
    echo "Suanpan needs Node.js 22.12 or newer (22 LTS or 24 LTS): install it from https://nodejs.org and run this again." >&2
    exit 1
  fi
  node_home="$PWD/.tools/node-v$SUANPAN_NODE_VERSION-$node_os-$node_arch"
  if [ ! -x "$node_home/bin/node" ]; then
    echo "installing: Node.js $SUANPAN_NODE_VERSION into .tools/ (this machine has $(node -v 2>/dev/null || echo no Node); Suanpan needs 22.12+)"
    node_tmp=$(mktemp -d)
    (cd "$node_tmp" && npm pack --silent --loglevel=error "node-$node_os-$node_arch@$SUANPAN_NODE_VERSION" >/dev/null)
    mkdir -p "$node_home.partial"
    tar xzf "$node_tmp"/*.tgz -C "$node_home.partial" --strip-components=1
    rm -rf "$node_tmp" "$node_home"
    mv "$node_home.partial" "$node_home"
  fi
  export PATH="$node_home/bin:$PATH"
  # Native modules compile against this Node's own headers (the package carries include/node), not
  # a system Node's that an npmrc's `nodedir` may name.
  export npm_config_nodedir="$node_home"
  echo "using Node.js $(node -v) from .tools/ (for later npm commands in this shell: export PATH=\"$node_home/bin:\$PATH\" npm_config_nodedir=\"$node_home\")"
fi

# npm ci only when package-lock.json or the Node version changed since the last install (native
# modules such as better-sqlite3 are built for one Node version). Electron's binary is never
# downloaded here: the kiosk host serves the register to a browser; `npm start` and `npm run dist`
# fetch it themselves.
install_packages() {
  local stamp="node_modules/.suanpan-install"
  local want
  want="$(node -v) $(sha256sum package-lock.json | cut -c1-64)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  echo "installing npm packages (a minute or two; longer where better-sqlite3 is compiled)"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
  echo "$want" >"$stamp"
}
