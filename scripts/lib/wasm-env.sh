# shellcheck shell=bash
# Source before any wasm32 build or test:   . scripts/lib/wasm-env.sh
# Puts the cached tools on PATH and picks how to compile for wasm32-unknown-unknown:
#   rustup  : the active rustc has the wasm32 std (`rustup target add wasm32-unknown-unknown`);
#             nothing else changes — the normal developer machine.
#   debian  : Debian's rustc-web 1.96, whose sysroot got a wasm32 std from scripts/setup.sh
#             (the route for machines where rustup cannot fetch the target).
# BOOKMESH_WASM_ROUTE=debian skips the rustup check, to exercise the Debian route on purpose.
# Do not source it for native builds: the native `cargo test` runs in the plain environment.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

for _bm_dir in "$BOOKMESH_TOOLS/bin" "$BOOKMESH_ROOT/e2e/node_modules/.bin"; do
  case ":$PATH:" in *":$_bm_dir:"*) ;; *) export PATH="$_bm_dir:$PATH" ;; esac
done
unset _bm_dir

if [ "${BOOKMESH_WASM_ROUTE:-}" != debian ] && has_wasm_std rustc; then
  export BOOKMESH_WASM_MODE=rustup
elif [ -x /usr/bin/rustc ] && has_wasm_std /usr/bin/rustc; then
  export BOOKMESH_WASM_MODE=debian
  export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
  # trunk and wasm-pack run plain `cargo`: make that Debian's cargo (same release as rustc-web).
  _bm_shim="$BOOKMESH_CACHE/debian-cargo-shim"
  mkdir -p "$_bm_shim" && ln -sf /usr/bin/cargo "$_bm_shim/cargo"
  case ":$PATH:" in *":$_bm_shim:"*) ;; *) export PATH="$_bm_shim:$PATH" ;; esac
  unset _bm_shim
else
  echo "bookmesh: no wasm32-unknown-unknown std found (route: ${BOOKMESH_WASM_ROUTE:-rustup}); run ./dev setup" >&2
  return 1 2>/dev/null || exit 1
fi

_bm_driver=$(find_chromedriver)
[ -n "$_bm_driver" ] && export CHROMEDRIVER="$_bm_driver"
unset _bm_driver
# The first headless Chromium start on a cold machine can be slow; the default is 20 s.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
