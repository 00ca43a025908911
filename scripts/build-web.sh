#!/usr/bin/env bash
# Builds the web client (web/) into web/out, the static export parleyd serves.
# Quick when nothing changed: a stamp of every input (sources, configs, the
# lock file and the server's GraphQL schema) is kept in web/out/.build-stamp.
# Steps: TypeScript types from server/src/api/schema.graphql (graphql-codegen),
# `next build` (static export), then .br/.gz copies of every text asset.
#
# Usage: scripts/build-web.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

if [[ ! -d web/node_modules ]]; then scripts/install-deps.sh; fi

stamp_of_inputs() {
  {
    find web/src web/public web/scripts -type f ! -path 'web/src/gql/*' -print0 2>/dev/null | sort -z | xargs -0 sha256sum
    sha256sum web/package.json web/package-lock.json web/next.config.ts web/tsconfig.json web/codegen.ts \
      server/src/api/schema.graphql
  } | sha256sum | cut -d' ' -f1
}

stamp=$(stamp_of_inputs)
if [[ "${1:-}" != "--force" && -f web/out/.build-stamp && "$(cat web/out/.build-stamp)" == "$stamp" ]]; then
  echo "build-web: web/out is up to date"
  exit 0
fi

start=$(date +%s)
cd web
npx --no-install graphql-codegen --config codegen.ts --silent
npx --no-install next build > .next-build.log 2>&1 || { cat .next-build.log; exit 1; }
node scripts/precompress.mjs out
echo "$stamp" > out/.build-stamp
echo "build-web: built web/out in $(( $(date +%s) - start )) s"
