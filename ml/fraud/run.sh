#!/usr/bin/env bash
# Reproduce the fraud model: generate the synthetic data set, train, export
# engine/data/fraud_model.json and engine/data/fraud_test_vectors.json.
# Uses the project venv (created here if missing) so the XGBoost version is the one recorded.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${BOOKMESH_VENV:-$HOME/.cache/bookmesh/venv}"
if ! "$venv/bin/python" -c "import xgboost, numpy, sklearn" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q xgboost numpy scikit-learn
fi
cd "$here"
"$venv/bin/python" generate_dataset.py "$@"
"$venv/bin/python" train.py
