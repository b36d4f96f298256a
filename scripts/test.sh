#!/usr/bin/env bash
# The whole test run (README command 2, and exactly what .ci/run runs):
#   setup   scripts/setup.sh (fast when warm)
#   lint    cargo fmt --all --check, then cargo clippy --workspace --all-targets -D warnings
#   native  cargo test --workspace (engine + the app's pure-Rust unit tests)
#   wasm    cargo test -p app --target wasm32-unknown-unknown: wasm-bindgen tests in headless Chromium
#   firefox the same tests in headless Firefox ESR (geckodriver), so the golden trace hashes are
#           checked on two JavaScript engines as well as natively
#   build   trunk build --release into dist/, reporting the wasm size raw and gzipped
#   e2e     dist/ served by a plain static server on loopback, e2e/journey.mjs, narration.mjs and study.mjs drive Chromium
# Ends with "bookmesh test: N passed, M failed" and exits non-zero if anything did not pass.
# Logs: target/test-logs/<stage>.log; screenshots: target/e2e/.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
BOOKMESH_LOG_PREFIX=test
cd "$BOOKMESH_ROOT"

setup_args=()
for arg in "$@"; do
  case "$arg" in
    --debian) setup_args+=(--debian); export BOOKMESH_WASM_ROUTE=debian ;;
    *) die "unknown option $arg (only --debian)" ;;
  esac
done

LOGS=target/test-logs
mkdir -p "$LOGS"
names=(); results=(); seconds=()
run_start=$SECONDS

# stage NAME CMD...: runs CMD with output shown and kept in $LOGS/NAME.log, records the result.
stage() {
  local name=$1; shift
  local start=$SECONDS status
  printf '\n=== %s ===\n' "$name"
  "$@" 2>&1 | tee "$LOGS/$name.log"
  status=${PIPESTATUS[0]}
  record "$name" "$([ "$status" = 0 ] && echo passed || echo failed)" $(( SECONDS - start ))
  [ "$status" = 0 ]
}
record() { names+=("$1"); results+=("$2"); seconds+=("$3"); say "$1 $2 in $3s"; }
skip() { record "$1" "skipped ($2)" 0; }

lint() { cargo fmt --all -- --check && cargo clippy --workspace --all-targets --color=never -- -D warnings; }
native_tests() { cargo test --workspace --color=never; }

wasm_tests() {
  . scripts/lib/wasm-env.sh || return 1
  echo "wasm route: $BOOKMESH_WASM_MODE; chromedriver: ${CHROMEDRIVER:-none}"
  cargo test -p app --target wasm32-unknown-unknown --color=never
}

# GECKODRIVER set and CHROMEDRIVER unset: wasm-bindgen-test-runner takes the first driver whose
# variable is set, so the Chromium one must not be.
wasm_firefox_tests() {
  . scripts/lib/wasm-env.sh || return 1
  local gecko
  gecko=$(command -v geckodriver) || { echo "no geckodriver on PATH: run ./dev setup"; return 1; }
  echo "geckodriver: $gecko; firefox: $BOOKMESH_FIREFOX ($("$BOOKMESH_FIREFOX" --version 2>/dev/null))"
  env -u CHROMEDRIVER GECKODRIVER="$gecko" \
    cargo test -p app --target wasm32-unknown-unknown --color=never
}

release_build() {
  . scripts/lib/wasm-env.sh || return 1
  rm -rf dist
  trunk build --release --offline || return 1
  local wasm raw gz
  wasm=$(ls dist/*_bg.wasm) || return 1
  raw=$(stat -c %s "$wasm"); gz=$(gzip -9 -c "$wasm" | wc -c)
  printf 'wasm %s: %s bytes raw (%s KiB), %s bytes gzip -9 (%s KiB)\n' "${wasm#dist/}" \
    "$raw" $(( (raw + 512) / 1024 )) "$gz" $(( (gz + 512) / 1024 )) | tee target/wasm-size.txt
}

# Serves dist/ with Python's stdlib static server (any static server works) on a free loopback
# port, then runs the journey and the narration walk against it.
e2e_journey() {
  local out=target/e2e server_log=target/test-logs/e2e-server.log url="" server_pid
  rm -rf "$out"; mkdir -p "$out"
  python3 -u -m http.server 0 --bind 127.0.0.1 --directory dist >"$server_log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    url=$(sed -n 's/^Serving HTTP on \([0-9.]*\) port \([0-9]*\).*/http:\/\/\1:\2\//p' "$server_log")
    [ -n "$url" ] && break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    kill "$server_pid" 2>/dev/null; cat "$server_log"; echo "static server did not start"; return 1
  fi
  echo "serving dist/ at $url"
  local status=0
  node e2e/journey.mjs "$url" "$out" || status=$?
  node e2e/narration.mjs "$url" "$out" || status=$?
  node e2e/study.mjs "$url" "$out" || status=$?
  kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null
  return $status
}

if stage setup scripts/setup.sh "${setup_args[@]}"; then
  stage lint lint
  stage native native_tests
  stage wasm wasm_tests
  stage firefox wasm_firefox_tests
  if stage build release_build; then
    stage e2e e2e_journey
  else
    skip e2e "needs build"
  fi
else
  for name in lint native wasm firefox build e2e; do skip "$name" "needs setup"; done
fi

passed=0; failed=0; skipped=0
printf '\n%-8s %-22s %6s\n' stage result time
for i in "${!names[@]}"; do
  printf '%-8s %-22s %5ss\n' "${names[$i]}" "${results[$i]}" "${seconds[$i]}"
  case "${results[$i]}" in
    passed) passed=$((passed + 1)) ;;
    failed) failed=$((failed + 1)) ;;
    *) skipped=$((skipped + 1)) ;;
  esac
done
[ -f target/wasm-size.txt ] && cat target/wasm-size.txt
summary="bookmesh test: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary (total $(( SECONDS - run_start ))s)"
[ "$failed" = 0 ] && [ "$skipped" = 0 ]
