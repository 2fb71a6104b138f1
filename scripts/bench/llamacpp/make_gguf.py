#!/usr/bin/env python3
"""make_gguf.py -- a llama.cpp GGUF (v3) of a SmolVLM text decoder with random weights, for speed and memory
comparisons only (the generated text is noise).

Usage: make_gguf.py --model DIR --type q4_0|q8_0 --out FILE [--seed 17]

DIR is a SmolVLM model folder (the one Glance runs): its config.json gives the decoder's dimensions
(text_config: layers, hidden size, heads, KV heads, head dim, MLP size, vocabulary, RoPE theta, RMSNorm eps)
and its tokenizer.json the vocabulary and merges, written as a gpt2-style tokenizer (tokenizer.ggml.*,
pre-tokenizer "smollm"), so llama.cpp tokenizes a prompt into the same ids as Glance.

Every matrix (token embedding, attention q/k/v/output, MLP gate/up/down, untied output head) is stored in
the chosen block type -- Q4_0: fp16 scale + 16 bytes of 4-bit values (offset 8), Q8_0: fp16 scale + 32
int8, 32 weights a block -- and the norm weights in F32 (llama-quantize's "--pure" layout). The weights
are normal(0, 0.02), seeded: the same seed gives the same file, byte for byte. Needs numpy.
"""
import argparse
import json
import struct
import sys

import numpy as np

GGUF_MAGIC = b"GGUF"
GGUF_VERSION = 3
ALIGNMENT = 32
QK = 32  # weights per quantization block (Q4_0 and Q8_0)

# gguf metadata value types
UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY = 4, 5, 6, 7, 8, 9
# ggml tensor types and llama file types (general.file_type)
GGML_F32, GGML_Q4_0, GGML_Q8_0 = 0, 2, 8
BLOCK_TYPES = {"q4_0": (GGML_Q4_0, 2, 2 + QK // 2), "q8_0": (GGML_Q8_0, 7, 2 + QK)}  # ggml type, file type, bytes
# llama.cpp token types
TOKEN_NORMAL, TOKEN_CONTROL, TOKEN_USER_DEFINED, TOKEN_UNUSED = 1, 3, 4, 5


def round_half_away(x):
    """C's roundf: halves round away from zero (numpy's rint rounds them to even)."""
    return np.trunc(x + np.copysign(0.5, x))


def quantize_q8_0(weights):
    """Rows of float32 (length a multiple of 32) -> Q8_0 blocks as bytes, as ggml's quantize_row_q8_0_ref."""
    x = weights.reshape(-1, QK).astype(np.float32)
    d = np.abs(x).max(axis=1) / 127.0
    inverse = np.divide(1.0, d, out=np.zeros_like(d), where=d != 0)
    blocks = np.empty(len(x), dtype=[("d", "<f2"), ("qs", "i1", QK)])
    blocks["d"] = d.astype(np.float16)
    blocks["qs"] = round_half_away(x * inverse[:, None]).astype(np.int8)
    return blocks.tobytes()


def quantize_q4_0(weights):
    """Rows of float32 (length a multiple of 32) -> Q4_0 blocks as bytes, as ggml's quantize_row_q4_0_ref:
    the scale is the block's largest-magnitude value / -8, byte j holds weight j (low nibble) and j+16 (high)."""
    x = weights.reshape(-1, QK).astype(np.float32)
    signed_max = x[np.arange(len(x)), np.abs(x).argmax(axis=1)]
    d = signed_max / -8.0
    inverse = np.divide(1.0, d, out=np.zeros_like(d), where=d != 0)
    q = np.minimum(15, np.trunc(x * inverse[:, None] + 8.5)).astype(np.uint8)
    blocks = np.empty(len(x), dtype=[("d", "<f2"), ("qs", "u1", QK // 2)])
    blocks["d"] = d.astype(np.float16)
    blocks["qs"] = q[:, : QK // 2] | (q[:, QK // 2:] << 4)
    return blocks.tobytes()


def dequantize(data, block_type, count):
    """The float32 values that blocks written by quantize_q4_0 / quantize_q8_0 stand for (used by the tests)."""
    if block_type == "q8_0":
        blocks = np.frombuffer(data, dtype=[("d", "<f2"), ("qs", "i1", QK)], count=count // QK)
        return (blocks["d"].astype(np.float32)[:, None] * blocks["qs"]).reshape(-1)
    blocks = np.frombuffer(data, dtype=[("d", "<f2"), ("qs", "u1", QK // 2)], count=count // QK)
    q = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1).astype(np.float32) - 8
    return (blocks["d"].astype(np.float32)[:, None] * q).reshape(-1)


class GgufHeader:
    """Builds the bytes of a GGUF header: metadata key/values, then tensor infos with aligned offsets."""

    def __init__(self):
        self.metadata = bytearray()
        self.metadata_count = 0
        self.tensors = []  # (name, shape in ggml order, ggml type, byte size)

    @staticmethod
    def _string(text):
        raw = text.encode("utf-8")
        return struct.pack("<Q", len(raw)) + raw

    def add(self, key, value_type, value):
        self.metadata += self._string(key) + struct.pack("<I", value_type) + self._value(value_type, value)
        self.metadata_count += 1

    def add_array(self, key, element_type, values):
        body = b"".join(self._value(element_type, v) for v in values) if element_type == STRING \
            else np.asarray(values, dtype={INT32: "<i4", FLOAT32: "<f4", UINT32: "<u4"}[element_type]).tobytes()
        self.metadata += self._string(key) + struct.pack("<IIQ", ARRAY, element_type, len(values)) + body
        self.metadata_count += 1

    def _value(self, value_type, value):
        if value_type == STRING:
            return self._string(value)
        return struct.pack({UINT32: "<I", INT32: "<i", FLOAT32: "<f", BOOL: "<?"}[value_type], value)

    def add_tensor(self, name, shape, ggml_type, size):
        self.tensors.append((name, shape, ggml_type, size))

    def to_bytes(self):
        out = bytearray(GGUF_MAGIC + struct.pack("<IQQ", GGUF_VERSION, len(self.tensors), self.metadata_count))
        out += self.metadata
        offset = 0
        for name, shape, ggml_type, size in self.tensors:
            out += self._string(name) + struct.pack("<I", len(shape)) + struct.pack(f"<{len(shape)}Q", *shape)
            out += struct.pack("<IQ", ggml_type, offset)
            offset += padded(size)
        return bytes(out) + b"\0" * (padded(len(out)) - len(out))


def padded(size):
    return (size + ALIGNMENT - 1) // ALIGNMENT * ALIGNMENT


def vocabulary(tokenizer):
    """(tokens, token types, merges) for tokenizer.ggml.* from a Hugging Face BPE tokenizer.json."""
    model = tokenizer["model"]
    if model.get("type") != "BPE":
        raise SystemExit(f"tokenizer.json: a BPE tokenizer is needed, found {model.get('type')}")
    added = {t["id"]: t for t in tokenizer.get("added_tokens", [])}
    size = max([*model["vocab"].values(), *added]) + 1
    tokens = [f"[PAD{i}]" for i in range(size)]
    types = [TOKEN_UNUSED] * size
    for text, token_id in model["vocab"].items():
        tokens[token_id], types[token_id] = text, TOKEN_NORMAL
    for token_id, token in added.items():
        tokens[token_id] = token["content"]
        types[token_id] = TOKEN_CONTROL if token.get("special") else TOKEN_USER_DEFINED
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    return tokens, types, merges


def decoder_tensors(text, vocab):
    """(name, shape in ggml order: [columns, rows]) of every tensor of a llama decoder, in file order."""
    hidden, mlp, head_dim = text["hidden_size"], text["intermediate_size"], text["head_dim"]
    q_size, kv_size = text["num_attention_heads"] * head_dim, text["num_key_value_heads"] * head_dim
    tensors = [("token_embd.weight", [hidden, vocab])]
    for layer in range(text["num_hidden_layers"]):
        block = f"blk.{layer}."
        tensors += [(block + "attn_norm.weight", [hidden]),
                    (block + "attn_q.weight", [hidden, q_size]),
                    (block + "attn_k.weight", [hidden, kv_size]),
                    (block + "attn_v.weight", [hidden, kv_size]),
                    (block + "attn_output.weight", [q_size, hidden]),
                    (block + "ffn_norm.weight", [hidden]),
                    (block + "ffn_gate.weight", [hidden, mlp]),
                    (block + "ffn_up.weight", [hidden, mlp]),
                    (block + "ffn_down.weight", [mlp, hidden])]
    return tensors + [("output_norm.weight", [hidden]), ("output.weight", [hidden, vocab])]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="SmolVLM model folder (config.json, tokenizer.json)")
    parser.add_argument("--type", required=True, choices=sorted(BLOCK_TYPES))
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    try:
        with open(f"{args.model}/config.json", encoding="utf-8") as f:
            config = json.load(f)
        with open(f"{args.model}/tokenizer.json", encoding="utf-8") as f:
            tokenizer = json.load(f)
    except (OSError, ValueError) as e:
        raise SystemExit(f"make_gguf.py: cannot read the model folder: {e}")
    text = config.get("text_config", config)
    tokens, token_types, merges = vocabulary(tokenizer)
    vocab = text["vocab_size"]
    if len(tokens) > vocab:
        raise SystemExit(f"tokenizer.json has {len(tokens)} tokens, more than vocab_size {vocab}")
    tokens += [f"[PAD{i}]" for i in range(len(tokens), vocab)]
    token_types += [TOKEN_UNUSED] * (vocab - len(token_types))
    ggml_type, file_type, block_bytes = BLOCK_TYPES[args.type]
    quantize = quantize_q4_0 if args.type == "q4_0" else quantize_q8_0

    header = GgufHeader()
    header.add("general.architecture", STRING, "llama")
    header.add("general.name", STRING, "SmolVLM text decoder, random weights")
    header.add("general.alignment", UINT32, ALIGNMENT)
    header.add("general.file_type", UINT32, file_type)
    header.add("llama.context_length", UINT32, text.get("max_position_embeddings", 8192))
    header.add("llama.embedding_length", UINT32, text["hidden_size"])
    header.add("llama.block_count", UINT32, text["num_hidden_layers"])
    header.add("llama.feed_forward_length", UINT32, text["intermediate_size"])
    header.add("llama.attention.head_count", UINT32, text["num_attention_heads"])
    header.add("llama.attention.head_count_kv", UINT32, text["num_key_value_heads"])
    header.add("llama.attention.key_length", UINT32, text["head_dim"])
    header.add("llama.attention.value_length", UINT32, text["head_dim"])
    header.add("llama.rope.dimension_count", UINT32, text["head_dim"])
    header.add("llama.rope.freq_base", FLOAT32, float(text["rope_theta"]))
    header.add("llama.attention.layer_norm_rms_epsilon", FLOAT32, float(text["rms_norm_eps"]))
    header.add("llama.vocab_size", UINT32, vocab)
    header.add("tokenizer.ggml.model", STRING, "gpt2")
    header.add("tokenizer.ggml.pre", STRING, "smollm")
    header.add_array("tokenizer.ggml.tokens", STRING, tokens)
    header.add_array("tokenizer.ggml.token_type", INT32, token_types)
    header.add_array("tokenizer.ggml.merges", STRING, merges)
    header.add("tokenizer.ggml.bos_token_id", UINT32, text.get("bos_token_id", 1))
    header.add("tokenizer.ggml.eos_token_id", UINT32, text.get("eos_token_id", 2))
    header.add("tokenizer.ggml.padding_token_id", UINT32, text.get("pad_token_id", 2))
    header.add("tokenizer.ggml.add_bos_token", BOOL, False)

    layout = decoder_tensors(text, vocab)
    for name, shape in layout:
        count = int(np.prod(shape))
        if len(shape) == 1:
            header.add_tensor(name, shape, GGML_F32, 4 * count)
        elif shape[0] % QK:
            raise SystemExit(f"{name}: row length {shape[0]} is not a multiple of {QK}")
        else:
            header.add_tensor(name, shape, ggml_type, count // QK * block_bytes)

    rng = np.random.default_rng(args.seed)
    with open(args.out, "wb") as out:
        out.write(header.to_bytes())
        for name, shape in layout:
            count = int(np.prod(shape))
            if len(shape) == 1:
                data = np.ones(count, dtype="<f4").tobytes()
            else:
                data = quantize(rng.normal(0.0, 0.02, size=count).astype(np.float32))
            out.write(data + b"\0" * (padded(len(data)) - len(data)))
    print(f"{args.out}: {args.type}, {len(layout)} tensors, vocabulary {vocab}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
