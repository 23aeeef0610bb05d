#!/usr/bin/env bash
# BERT fusions for a cached catalog model (ADR 0020): a fetch/export-time step, never run at
# serve time. Makes .cache/models-venv (pinned tools/models/requirements.txt from PyPI) once,
# then writes two model directories beside the source:
#   <cache>/models/<name>-bert-fused/<version>    fused fp32 (Attention, SkipLayerNormalization, BiasGelu ...)
#   <cache>/models/<name>-bert-fused-q/<version>  the same, re-quantised dynamically to int8
# usage: bash tools/models/optimize-bert.sh [catalog-name]   (default bge-small-en-v15)
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${TUNELINE_CACHE:-$PWD/.cache}"
VENV="$CACHE/models-venv"
NAME="${1:-bge-small-en-v15}"
python3 -c 'import venv' 2>/dev/null || { echo "optimize-bert: python3 with the venv module is required" >&2; exit 2; }
if ! "$VENV/bin/python" -c 'import onnxruntime, onnx, sympy' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r tools/models/requirements.txt
fi
SRC_PARENT="$CACHE/models/$NAME"
[ -d "$SRC_PARENT" ] || { echo "optimize-bert: $SRC_PARENT not cached; run npm run -s models:fetch -- $NAME first" >&2; exit 2; }
VERSION="$(ls "$SRC_PARENT" | sort | tail -1)"
SRC="$SRC_PARENT/$VERSION"
"$VENV/bin/python" tools/models/optimize_bert.py "$SRC" "$CACHE/models/$NAME-bert-fused/$VERSION" --no-quantize
"$VENV/bin/python" tools/models/optimize_bert.py "$SRC" "$CACHE/models/$NAME-bert-fused-q/$VERSION"
