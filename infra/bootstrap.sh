#!/usr/bin/env bash
# Makes a fresh machine ready to run Praxis, then runs a package.json script with pnpm.
#   bash infra/bootstrap.sh               ensure node, pnpm and the workspace's dependencies
#   bash infra/bootstrap.sh run SCRIPT    ... then `pnpm run SCRIPT`
# pnpm is not assumed: the version pinned in package.json's packageManager is taken from
# the npm registry (global install when allowed, else a private copy under .tools/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
say() { printf '[bootstrap] %s\n' "$*" >&2; }

node_version="$(node -p 'process.versions.node' 2>/dev/null || true)"
[ -n "$node_version" ] || { say "node is not installed; Praxis needs Node.js 20.19 or later"; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { say "node $node_version is too old; Praxis needs Node.js 20.19 or later"; exit 1; }

want="$(node -p 'require("./package.json").packageManager.split("@")[1]')"
have_pnpm() { command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$want" ]; }
if ! have_pnpm && [ -x "$root/.tools/node_modules/.bin/pnpm" ]; then export PATH="$root/.tools/node_modules/.bin:$PATH"; fi
if ! have_pnpm; then
  say "installing pnpm $want from the npm registry"
  if ! npm install -g --silent "pnpm@$want" >/dev/null 2>&1 || ! have_pnpm; then
    npm install --silent --no-save --prefix "$root/.tools" "pnpm@$want" >/dev/null
    export PATH="$root/.tools/node_modules/.bin:$PATH"
  fi
  have_pnpm || { say "could not install pnpm $want"; exit 1; }
fi

# --frozen-lockfile: a fresh machine gets exactly the versions that were tested.
if [ "${PRAXIS_SKIP_INSTALL:-0}" != 1 ]; then
  pnpm install --frozen-lockfile --reporter=append-only >&2 || { say "pnpm install failed"; exit 1; }
fi

# The router's local embedding model (PyPI wordllama); never fatal: the router falls back to hashing.
[ "${PRAXIS_SKIP_MODEL:-0}" = 1 ] || bash "$root/infra/fetch-model.sh"

if [ "${1:-}" = run ]; then
  shift
  exec pnpm run "$@"
fi
