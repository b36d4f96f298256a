#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): 16-node ping-pong deliveries per second, natively and in
# headless Chromium (wasm built with opt-level 3: the `fast` profile); and the full deployment
# (2PC, books database, payment) under 20 generated checkouts/s for 1, 10 and 30 virtual
# minutes: speed, events/s, peak RSS, orders committed per virtual second, queue length,
# approval → outcome latency, linearity. BENCH_MINUTES="84" is the 100,000-order run.
#
# A benchmark that cannot run is a failure, not a missing line: each command's whole output
# goes to a log under target/bench/, only the figures are shown, and if the command fails the
# script prints the end of its log and exits non-zero.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$BOOKMESH_ROOT"
scripts/setup.sh
LOG_DIR="$BOOKMESH_ROOT/target/bench"
mkdir -p "$LOG_DIR"

# run_bench NAME FILTER CMD...: runs CMD with its output in $LOG_DIR/NAME.log, shows the lines
# matching FILTER; on failure shows the last 40 lines of the log and exits with CMD's status.
run_bench() {
  local name=$1 filter=$2; shift 2
  local log="$LOG_DIR/$name.log" status=0
  "$@" >"$log" 2>&1 || status=$?
  grep -E "$filter" "$log" || true
  if [ "$status" -ne 0 ]; then
    warn "benchmark '$name' failed (exit $status); last lines of $log:"
    tail -n 40 "$log" >&2
    exit "$status"
  fi
}

echo "== native"
run_bench native 'deliveries' cargo bench -p engine --bench pingpong
echo "== full deployment at ${BENCH_CPS:-20} checkouts/s (native)"
BENCH_MINUTES=${BENCH_MINUTES:-1,10,30} run_bench checkout_load '^==|speed|peak|orders|queue|approval|linearity' \
  cargo bench -p engine --bench checkout_load
echo "== wasm (headless Chromium)"
. scripts/lib/wasm-env.sh
# No `-q`: cargo would hand `--quiet` to wasm-bindgen-test-runner, which refuses it.
run_bench wasm 'deliveries|test result' \
  cargo test --profile fast -p app --target wasm32-unknown-unknown --test bench -- --include-ignored --nocapture
