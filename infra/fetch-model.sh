#!/usr/bin/env bash
# Installs the router's local embedding model (docs/router.md, "Embeddings"): WordLlama
# l2_supercat, 256-d static token embeddings (MIT), taken from inside the PyPI package
# `wordllama` with pip (no model hub, no network beyond the registry). Only two files of the
# wheel are kept: the weights (16 MB) and the tokenizer (HF tokenizer.json format, 1.8 MB).
# Idempotent: files already in place with the right sha-256 are kept, so later runs and fresh
# clones on the same machine cost nothing. Never fatal: without the files the router falls
# back to its hashing embedder and says so (log, /readyz, answer reasons).
#   bash infra/fetch-model.sh            into ${PRAXIS_CACHE_DIR:-$HOME/.cache/praxis}/models/
set -uo pipefail
say() { printf '[fetch-model] %s\n' "$*" >&2; }

version=0.4.0.post1
dir="${PRAXIS_CACHE_DIR:-$HOME/.cache/praxis}/models/wordllama-l2-supercat-256"
weights_sha=64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5
tokenizer_sha=93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68

ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }
if ok "$dir/weights.safetensors" "$weights_sha" && ok "$dir/tokenizer.json" "$tokenizer_sha"; then exit 0; fi

python=""
for p in python3 python; do command -v "$p" >/dev/null 2>&1 && "$p" -m pip --version >/dev/null 2>&1 && { python="$p"; break; }; done
[ -n "$python" ] || { say "python3 with pip not found: the router will use its hashing embedder"; exit 0; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
say "downloading wordllama $version from PyPI (19 MB, once)"
# The weights are the same in every wheel; naming one platform makes pip pick the same file
# whatever this machine's Python is, and never build anything.
if ! "$python" -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
  --python-version 3.11 --implementation cp -d "$tmp" "wordllama==$version" >&2; then
  say "pip could not download wordllama: the router will use its hashing embedder"; exit 0
fi
mkdir -p "$dir"
"$python" - "$tmp" "$dir" <<'PY' || { say "could not extract the model files"; exit 0; }
import glob, shutil, sys, zipfile
tmp, out = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(f"{tmp}/wordllama-*.whl")[0])
for member, name in [("wordllama/weights/l2_supercat_256.safetensors", "weights.safetensors"),
                     ("wordllama/tokenizers/l2_supercat_tokenizer_config.json", "tokenizer.json")]:
    with wheel.open(member) as src, open(f"{out}/{name}.part", "wb") as dst:
        shutil.copyfileobj(src, dst)
    shutil.move(f"{out}/{name}.part", f"{out}/{name}")
PY
if ok "$dir/weights.safetensors" "$weights_sha" && ok "$dir/tokenizer.json" "$tokenizer_sha"; then
  say "model ready in $dir"
else
  say "the extracted files do not match their sha-256: removed; the router will use its hashing embedder"
  rm -f "$dir/weights.safetensors" "$dir/tokenizer.json"
fi
exit 0
