# shellcheck shell=bash
# Shared by scripts/*.sh: paths, logging, timing. Source it; it defines no side effects
# beyond exporting the paths below.

BOOKMESH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BOOKMESH_CACHE="${BOOKMESH_CACHE:-$HOME/.cache/bookmesh}"
BOOKMESH_TOOLS="$BOOKMESH_CACHE/tools"          # cargo install --root (trunk, wasm-bindgen, wasm-pack)
BOOKMESH_CHROMIUM="${BOOKMESH_CHROMIUM:-/usr/bin/chromium}"
BOOKMESH_FIREFOX="${BOOKMESH_FIREFOX:-/usr/bin/firefox-esr}"
export BOOKMESH_ROOT BOOKMESH_CACHE BOOKMESH_TOOLS BOOKMESH_CHROMIUM

TRUNK_VERSION=0.22.1

say()  { printf '%s: %s\n' "${BOOKMESH_LOG_PREFIX:-bookmesh}" "$*"; }
warn() { printf '%s: warning: %s\n' "${BOOKMESH_LOG_PREFIX:-bookmesh}" "$*" >&2; }
die()  { printf '%s: ERROR: %s\n' "${BOOKMESH_LOG_PREFIX:-bookmesh}" "$*" >&2; exit 1; }

# timed LABEL CMD...: runs CMD, then prints how long it took.
timed() {
  local label=$1; shift
  local start=$SECONDS status=0
  "$@" || status=$?
  say "$label took $(( SECONDS - start ))s"
  return $status
}

# The exact version of a package in Cargo.lock (first match), e.g. lock_version wasm-bindgen.
lock_version() {
  awk -v want="name = \"$1\"" '$0 == want { getline; gsub(/version = |"/, ""); print; exit }' \
    "$BOOKMESH_ROOT/Cargo.lock"
}

# True if the rustc given as $1 has a wasm32-unknown-unknown std in its sysroot.
has_wasm_std() {
  local dir
  dir=$("$1" --print target-libdir --target wasm32-unknown-unknown 2>/dev/null) || return 1
  compgen -G "$dir/libstd-*.rlib" >/dev/null
}

# The chromedriver to use: $CHROMEDRIVER if set, else the one on PATH.
find_chromedriver() {
  if [ -n "${CHROMEDRIVER:-}" ]; then printf '%s\n' "$CHROMEDRIVER"; return; fi
  command -v chromedriver || true
}
