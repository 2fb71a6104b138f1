#!/usr/bin/env python3
"""make_gguf.py -- a llama.cpp GGUF (v3) of a SmolVLM text decoder, or of its vision encoder and projector
(llama.cpp's "mmproj" file), with random weights, for speed and memory comparisons only (the generated text is
noise).

Usage: make_gguf.py --model DIR --type q4_0|q8_0|mmproj-f16 --out FILE [--seed 17]

DIR is a SmolVLM model folder (the one Glance runs): its config.json gives the decoder's dimensions
(text_config: layers, hidden size, heads, KV heads, head dim, MLP size, vocabulary, RoPE theta, RMSNorm eps)
and its tokenizer.json the vocabulary and merges, written as a gpt2-style tokenizer (tokenizer.ggml.*,
pre-tokenizer "smollm"), so llama.cpp tokenizes a prompt into the same ids as Glance.

Every matrix (token embedding, attention q/k/v/output, MLP gate/up/down, untied output head) is stored in
the chosen block type -- Q4_0: fp16 scale + 16 bytes of 4-bit values (offset 8), Q8_0: fp16 scale + 32
int8, 32 weights a block -- and the norm weights in F32 (llama-quantize's "--pure" layout). The weights
are normal(0, 0.02), seeded: the same seed gives the same file, byte for byte. Needs numpy.

mmproj-f16 writes the vision half instead, as llama.cpp's converter writes SmolVLM's (architecture "clip",
projector type "idefics3"): the SigLIP encoder of config.json's vision_config (patch embedding, position
embedding, layers, post-norm) and the pixel-shuffle projector (mm.model.fc) into the decoder's width; matrices
in F16, embeddings, norms and biases in F32; clip.vision.preproc_image_size is preprocessor_config.json's
size.longest_edge, so llama.cpp splits a picture into tiles as the published processor does.
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
GGML_F32, GGML_F16, GGML_Q4_0, GGML_Q8_0 = 0, 1, 2, 8
FILE_TYPE_F16 = 1
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


def vision_tensors(vision, projection_dim, scale_factor):
    """(name, shape in ggml order, ggml type) of every tensor of a SigLIP encoder and Idefics3 projector, as
    llama.cpp's converter names them (fc1 is ffn_up, fc2 ffn_down), in file order."""
    width, mlp, patch = vision["hidden_size"], vision["intermediate_size"], vision["patch_size"]
    positions = (vision["image_size"] // patch) ** 2
    tensors = [("v.patch_embd.weight", [patch, patch, vision.get("num_channels", 3), width], GGML_F32),
               ("v.patch_embd.bias", [width], GGML_F32),
               ("v.position_embd.weight", [width, positions], GGML_F32)]
    for layer in range(vision["num_hidden_layers"]):
        block = f"v.blk.{layer}."
        for name in ("attn_q", "attn_k", "attn_v", "attn_out"):
            tensors += [(block + name + ".weight", [width, width], GGML_F16),
                        (block + name + ".bias", [width], GGML_F32)]
        tensors += [(block + "ffn_up.weight", [width, mlp], GGML_F16), (block + "ffn_up.bias", [mlp], GGML_F32),
                    (block + "ffn_down.weight", [mlp, width], GGML_F16), (block + "ffn_down.bias", [width], GGML_F32)]
        for norm in ("ln1", "ln2"):
            tensors += [(block + norm + ".weight", [width], GGML_F32), (block + norm + ".bias", [width], GGML_F32)]
    return tensors + [("v.post_ln.weight", [width], GGML_F32), ("v.post_ln.bias", [width], GGML_F32),
                      ("mm.model.fc.weight", [width * scale_factor ** 2, projection_dim], GGML_F16)]


def decoder_header(text, tokenizer, file_type):
    """The metadata of the llama decoder file: dimensions and the tokenizer as tokenizer.ggml.*."""
    tokens, token_types, merges = vocabulary(tokenizer)
    vocab = text["vocab_size"]
    if len(tokens) > vocab:
        raise SystemExit(f"tokenizer.json has {len(tokens)} tokens, more than vocab_size {vocab}")
    tokens += [f"[PAD{i}]" for i in range(len(tokens), vocab)]
    token_types += [TOKEN_UNUSED] * (vocab - len(token_types))
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
    return header


def mmproj_header(config, preprocessor):
    """The metadata of the vision file (architecture "clip", projector "idefics3")."""
    vision, text = config["vision_config"], config.get("text_config", config)
    header = GgufHeader()
    header.add("general.architecture", STRING, "clip")
    header.add("general.name", STRING, "SmolVLM vision encoder and projector, random weights")
    header.add("general.alignment", UINT32, ALIGNMENT)
    header.add("general.file_type", UINT32, FILE_TYPE_F16)
    header.add("clip.has_vision_encoder", BOOL, True)
    header.add("clip.projector_type", STRING, "idefics3")
    header.add("clip.use_gelu", BOOL, True)
    header.add("clip.vision.embedding_length", UINT32, vision["hidden_size"])
    header.add("clip.vision.feed_forward_length", UINT32, vision["intermediate_size"])
    header.add("clip.vision.block_count", UINT32, vision["num_hidden_layers"])
    header.add("clip.vision.attention.head_count", UINT32, vision["num_attention_heads"])
    header.add("clip.vision.attention.layer_norm_epsilon", FLOAT32, float(vision.get("layer_norm_eps", 1e-6)))
    header.add("clip.vision.projection_dim", UINT32, text["hidden_size"])
    header.add("clip.vision.image_size", UINT32, vision["image_size"])
    header.add("clip.vision.patch_size", UINT32, vision["patch_size"])
    header.add_array("clip.vision.image_mean", FLOAT32, preprocessor.get("image_mean", [0.5] * 3))
    header.add_array("clip.vision.image_std", FLOAT32, preprocessor.get("image_std", [0.5] * 3))
    header.add("clip.vision.projector.scale_factor", UINT32, config.get("scale_factor", 2))
    header.add("clip.vision.preproc_image_size", UINT32,
               preprocessor.get("size", {}).get("longest_edge", vision["image_size"]))
    return header


def tensor_bytes(name, shape, ggml_type, rng):
    """A tensor's data: norm weights 1, biases 0, everything else normal(0, 0.02) in its type."""
    count = int(np.prod(shape))
    if name.endswith(".bias"):
        return np.zeros(count, dtype="<f4").tobytes()
    if len(shape) == 1:
        return np.ones(count, dtype="<f4").tobytes()
    weights = rng.normal(0.0, 0.02, size=count).astype(np.float32)
    if ggml_type == GGML_Q4_0:
        return quantize_q4_0(weights)
    if ggml_type == GGML_Q8_0:
        return quantize_q8_0(weights)
    return weights.astype("<f2" if ggml_type == GGML_F16 else "<f4").tobytes()


def tensor_size(name, shape, ggml_type):
    count = int(np.prod(shape))
    if ggml_type in (GGML_Q4_0, GGML_Q8_0):
        if shape[0] % QK:
            raise SystemExit(f"{name}: row length {shape[0]} is not a multiple of {QK}")
        block_bytes = next(b for t, _, b in BLOCK_TYPES.values() if t == ggml_type)
        return count // QK * block_bytes
    return count * (2 if ggml_type == GGML_F16 else 4)


def read_json(path, required=True):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        if required:
            raise SystemExit(f"make_gguf.py: cannot read the model folder: no {path}")
        return {}
    except (OSError, ValueError) as e:
        raise SystemExit(f"make_gguf.py: cannot read the model folder: {e}")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True,
                        help="SmolVLM model folder (config.json, tokenizer.json, preprocessor_config.json)")
    parser.add_argument("--type", required=True, choices=sorted([*BLOCK_TYPES, "mmproj-f16"]))
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    config = read_json(f"{args.model}/config.json")
    if args.type == "mmproj-f16":
        if "vision_config" not in config:
            raise SystemExit("make_gguf.py: config.json has no vision_config")
        header = mmproj_header(config, read_json(f"{args.model}/preprocessor_config.json", required=False))
        layout = vision_tensors(config["vision_config"], config.get("text_config", config)["hidden_size"],
                                config.get("scale_factor", 2))
    else:
        text = config.get("text_config", config)
        ggml_type, file_type, _ = BLOCK_TYPES[args.type]
        header = decoder_header(text, read_json(f"{args.model}/tokenizer.json"), file_type)
        layout = [(name, shape, GGML_F32 if len(shape) == 1 else ggml_type)
                  for name, shape in decoder_tensors(text, text["vocab_size"])]
    for name, shape, ggml_type in layout:
        header.add_tensor(name, shape, ggml_type, tensor_size(name, shape, ggml_type))

    rng = np.random.default_rng(args.seed)
    with open(args.out, "wb") as out:
        out.write(header.to_bytes())
        for name, shape, ggml_type in layout:
            data = tensor_bytes(name, shape, ggml_type, rng)
            out.write(data + b"\0" * (padded(len(data)) - len(data)))
    print(f"{args.out}: {args.type}, {len(layout)} tensors", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
