#!/usr/bin/env bash
# README command 1: set up if needed, then `trunk serve` on http://127.0.0.1:8080 with
# rebuild-on-save. Usage: scripts/serve.sh [--port N] [--debian] [extra trunk serve args]
# (PORT=N also works).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
BOOKMESH_LOG_PREFIX=serve
cd "$BOOKMESH_ROOT"

port="${PORT:-8080}"; setup_args=(); trunk_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) [ $# -ge 2 ] || die "--port needs a number"; port=$2; shift 2 ;;
    --port=*) port=${1#--port=}; shift ;;
    --debian) setup_args+=(--debian); export BOOKMESH_WASM_ROUTE=debian; shift ;;
    *) trunk_args+=("$1"); shift ;;
  esac
done
case "$port" in ''|*[!0-9]*) die "port must be a number, got '$port'" ;; esac

scripts/setup.sh "${setup_args[@]}"
. scripts/lib/wasm-env.sh
say "trunk serve on http://127.0.0.1:$port/ (Ctrl-C to stop)"
exec trunk serve --offline --address 127.0.0.1 --port "$port" "${trunk_args[@]}"
