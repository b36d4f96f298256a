#!/usr/bin/env bash
# Idempotent setup for building and testing bookmesh. Prints what it does; safe to re-run
# (a warm run only checks, in a few seconds). Usage: scripts/setup.sh [--debian]
#
#   wasm32 std      rustup target add wasm32-unknown-unknown (with a timeout); if that cannot
#                   fetch, or with --debian / BOOKMESH_WASM_ROUTE=debian, Debian's rustc-web +
#                   rust-web-src with a wasm32 std built once into its sysroot
#   browser         chromium + chromium-driver (apt), for the wasm tests and the e2e journey;
#                   firefox-esr (apt) + geckodriver (cargo, below), for the wasm tests again in
#                   a second JavaScript engine
#   cargo tools     wasm-bindgen-cli (= the version in Cargo.lock), trunk, wasm-pack, geckodriver,
#                   built once into $BOOKMESH_CACHE/tools (default ~/.cache/bookmesh/tools)
#   npm             e2e/: playwright-core (drives Chromium) + binaryen (wasm-opt), from the lock
#   crates          cargo fetch, so builds can run --offline
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
BOOKMESH_LOG_PREFIX=setup
cd "$BOOKMESH_ROOT"

for arg in "$@"; do
  case "$arg" in
    --debian) export BOOKMESH_WASM_ROUTE=debian ;;
    *) die "unknown option $arg (only --debian)" ;;
  esac
done

RUSTUP_TIMEOUT_S="${BOOKMESH_RUSTUP_TIMEOUT:-120}"
mkdir -p "$BOOKMESH_TOOLS" "$BOOKMESH_CACHE/logs"

# as_root CMD...: runs CMD as root (directly, or through passwordless sudo).
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 126
  fi
}

apt_install() {  # apt_install PKG...: installs the ones not yet installed
  local missing=() pkg
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get here: install them by hand"
  say "apt-get install ${missing[*]}"
  local log="$BOOKMESH_CACHE/logs/apt.log" status=0
  as_root apt-get update -q >"$log" 2>&1 || status=$?
  if [ $status = 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$log" 2>&1 || status=$?
  fi
  case $status in
    0) ;;
    126) die "need root to install ${missing[*]}: run  sudo apt-get install ${missing[*]}  then re-run" ;;
    *) tail -n 15 "$log" >&2; die "apt-get could not install ${missing[*]} (full log: $log)" ;;
  esac
}

# ---- 1. a wasm32 std ------------------------------------------------------------------------
setup_wasm_std_rustup() {
  if has_wasm_std rustc; then say "wasm32 std: rustup target present ($(rustc -V))"; return 0; fi
  command -v rustup >/dev/null || { say "wasm32 std: no rustup here"; return 1; }
  say "wasm32 std: rustup target add wasm32-unknown-unknown (timeout ${RUSTUP_TIMEOUT_S}s)"
  if timeout "$RUSTUP_TIMEOUT_S" rustup target add wasm32-unknown-unknown && has_wasm_std rustc; then
    return 0
  fi
  say "wasm32 std: rustup could not fetch the target; trying the Debian route"
  return 1
}

setup_wasm_std_debian() {
  # lld-22: rust-web-llvm's /usr/bin/rust-lld points to it without depending on it.
  apt_install rustc-web cargo-web rust-web-src lld-22
  local libdir stamp work
  libdir=$(/usr/bin/rustc --print target-libdir --target wasm32-unknown-unknown)
  stamp="$libdir/.bookmesh-wasm-std-stamp"
  if [ "$(cat "$stamp" 2>/dev/null)" = "$(/usr/bin/rustc -vV)" ] && has_wasm_std /usr/bin/rustc; then
    say "wasm32 std: Debian sysroot has it ($(/usr/bin/rustc -V))"; return 0
  fi
  say "wasm32 std: building it with Debian's $(/usr/bin/rustc -V) from rust-web-src (about 40 s, once)"
  work=$(mktemp -d)
  mkdir -p "$work/src"
  printf '[package]\nname = "wasm-std-build"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n' >"$work/Cargo.toml"
  echo '#![no_std]' >"$work/src/lib.rs"
  # -Cembed-bitcode=yes: the release profile uses lto = true, which needs bitcode in std.
  if ! env RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Cembed-bitcode=yes" \
      /usr/bin/cargo build -q --release --manifest-path "$work/Cargo.toml" \
      --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort,panic_unwind,test,proc_macro; then
    rm -rf "$work"; die "could not build the wasm32 std with Debian's rustc-web"
  fi
  as_root sh -c "rm -rf '$libdir' && mkdir -p '$libdir' && cp '$work'/target/wasm32-unknown-unknown/release/deps/lib*.rlib '$libdir'/ && rm -f '$libdir'/libwasm_std_build-*.rlib" \
    || { rm -rf "$work"; die "need root to install the wasm32 std into $libdir"; }
  /usr/bin/rustc -vV | as_root tee "$stamp" >/dev/null
  rm -rf "$work"
  has_wasm_std /usr/bin/rustc || die "the wasm32 std is still missing from $libdir"
}

if [ "${BOOKMESH_WASM_ROUTE:-}" = debian ]; then
  say "wasm32 std: Debian route forced (--debian / BOOKMESH_WASM_ROUTE=debian)"
  setup_wasm_std_debian
elif ! setup_wasm_std_rustup; then
  command -v apt-get >/dev/null \
    || die "no wasm32 std: rustup target add wasm32-unknown-unknown failed and there is no apt for the Debian route"
  setup_wasm_std_debian
fi

# ---- 2. browser ---------------------------------------------------------------------------------
if [ -x "$BOOKMESH_CHROMIUM" ] && [ -n "$(find_chromedriver)" ]; then
  say "browser: $BOOKMESH_CHROMIUM + $(find_chromedriver) present"
else
  apt_install chromium chromium-driver
fi
[ -x "$BOOKMESH_CHROMIUM" ] || die "no Chromium at $BOOKMESH_CHROMIUM (set BOOKMESH_CHROMIUM to its path)"
[ -n "$(find_chromedriver)" ] || die "no chromedriver on PATH (install chromium-driver or set CHROMEDRIVER)"
if [ -x "$BOOKMESH_FIREFOX" ]; then
  say "browser: $BOOKMESH_FIREFOX present"
else
  apt_install firefox-esr
fi
[ -x "$BOOKMESH_FIREFOX" ] || die "no Firefox at $BOOKMESH_FIREFOX (set BOOKMESH_FIREFOX to its path)"

# ---- 3. cargo-installed tools, cached in $BOOKMESH_TOOLS ---------------------------------------
command -v cargo >/dev/null || die "no cargo on PATH: install Rust with rustup (https://rustup.rs)"
logged() { local log=$1; shift; "$@" >"$log" 2>&1; }  # logged LOG CMD...: output only to LOG
cargo_install() {  # cargo_install NAME WANT_VERSION_LINE BIN MINUTES ARGS...
  local name=$1 want=$2 bin=$3 minutes=$4; shift 4
  local have
  # First line only, up to the version (geckodriver adds a commit hash and a licence text).
  have=$("$BOOKMESH_TOOLS/bin/$bin" --version 2>/dev/null | head -n 1 || true)
  if [ "$have" = "$want" ] || [[ "$have" == "$want "* ]]; then
    say "$name: $want (cached)"; return 0
  fi
  say "$name: building ${want#* } into $BOOKMESH_TOOLS (about $minutes min, once)"
  local log="$BOOKMESH_CACHE/logs/install-$name.log"
  if ! timed "$name build" logged "$log" cargo install --root "$BOOKMESH_TOOLS" "$@" --force; then
    tail -n 20 "$log" >&2; die "could not install $name ${want#* } (full log: $log)"
  fi
}

wasm_bindgen_version=$(lock_version wasm-bindgen)
[ -n "$wasm_bindgen_version" ] || die "no wasm-bindgen in Cargo.lock"
# No --locked: its lock pins a crate version the registry mirror lacks (see shared notes).
cargo_install wasm-bindgen-cli "wasm-bindgen $wasm_bindgen_version" wasm-bindgen 2 \
  wasm-bindgen-cli --version "$wasm_bindgen_version"
# trunk 0.22.1 declares rust-version 1.96.1, above today's stable; it builds fine with 1.95.
cargo_install trunk "trunk $TRUNK_VERSION" trunk 10 \
  trunk --version "$TRUNK_VERSION" --locked --ignore-rust-version
# Mozilla publishes geckodriver only as a crate and release binaries; Debian has no package.
GECKODRIVER_VERSION=0.36.0
cargo_install geckodriver "geckodriver $GECKODRIVER_VERSION" geckodriver 4 \
  geckodriver --version "$GECKODRIVER_VERSION" --locked
WASM_PACK_VERSION=0.15.1
cargo_install wasm-pack "wasm-pack $WASM_PACK_VERSION" wasm-pack 2 \
  wasm-pack --version "$WASM_PACK_VERSION" --locked

# ---- 4. npm: playwright-core and binaryen, exactly as locked ------------------------------------
command -v node >/dev/null || die "no node on PATH: install Node.js 20 or newer"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $(node -v) is too old: playwright-core needs 20 or newer"
lock_sum=$(sha256sum e2e/package-lock.json | cut -d' ' -f1)
stamp=e2e/node_modules/.bookmesh-lock-sha256
if [ "$(cat "$stamp" 2>/dev/null)" = "$lock_sum" ]; then
  say "npm: e2e/node_modules matches package-lock.json"
else
  say "npm: npm ci in e2e/ (playwright-core, binaryen)"
  timed "npm ci" npm ci --prefix e2e --no-audit --no-fund --loglevel=error \
    || die "npm ci failed in e2e/ (network or registry problem?)"
  echo "$lock_sum" >"$stamp"
fi
# trunk takes wasm-opt from PATH; Debian's binaryen (v108) builds a blank page, so never use it.
e2e/node_modules/.bin/wasm-opt --version | grep -q 'version 132' \
  || die "e2e/node_modules/.bin/wasm-opt is not binaryen 132: rm -rf e2e/node_modules and re-run"

# ---- 5. crates, so trunk can build --offline -----------------------------------------------------
say "crates: cargo fetch"
cargo fetch -q || die "cargo fetch failed (network or registry problem?)"

# ---- 6. the wasm environment must now resolve ------------------------------------------------------
. scripts/lib/wasm-env.sh
say "ready: wasm route $BOOKMESH_WASM_MODE, tools in $BOOKMESH_TOOLS"
