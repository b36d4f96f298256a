#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): 16-node ping-pong deliveries per second, natively and in
# headless Chromium (wasm built with opt-level 3: the `fast` profile).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$BOOKMESH_ROOT"
scripts/setup.sh
echo "== native"
cargo bench -q -p engine --bench pingpong
echo "== wasm (headless Chromium)"
. scripts/lib/wasm-env.sh
cargo test -q --profile fast -p app --target wasm32-unknown-unknown --test bench -- --include-ignored --nocapture 2>&1 \
  | grep -E 'deliveries|test result'
