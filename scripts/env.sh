# Sourced by the Makefile's recipes: puts the project's Node.js first when the
# system's is too old (see install-deps.sh).
if [ -x "$(dirname "${BASH_SOURCE[0]}")/../.tools/node/node_modules/.bin/node" ]; then
  PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/node/node_modules/.bin:$PATH"
  export PATH
fi
