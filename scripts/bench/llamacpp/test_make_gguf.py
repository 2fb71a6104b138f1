"""Tests of make_gguf.py: the Q8_0 / Q4_0 block layouts and a small GGUF file read back field by field.

Run: python3 -m unittest discover -s scripts/bench/llamacpp
"""
import json
import os
import struct
import tempfile
import unittest

import numpy as np

import make_gguf


class QuantizationTest(unittest.TestCase):
    def test_q8_0_block_is_fp16_scale_then_32_int8(self):
        x = np.arange(32, dtype=np.float32) - 12.0  # largest magnitude 19
        block = make_gguf.quantize_q8_0(x)
        self.assertEqual(len(block), 34)
        scale = np.frombuffer(block[:2], "<f2")[0]
        self.assertAlmostEqual(float(scale), 19 / 127, places=3)
        q = np.frombuffer(block[2:], np.int8)
        self.assertEqual(q[31], 127)  # 19 is the largest: the full positive range
        self.assertEqual(q[12], 0)
        self.assertEqual(q[0], round(-12 * 127 / 19))

    def test_q4_0_packs_weight_j_low_and_j_plus_16_high_around_an_offset_of_8(self):
        x = np.zeros(32, dtype=np.float32)
        x[3], x[20] = -1.0, 0.5  # -1 is the largest magnitude: scale -1 / -8 = 0.125
        block = make_gguf.quantize_q4_0(x)
        self.assertEqual(len(block), 18)
        self.assertEqual(float(np.frombuffer(block[:2], "<f2")[0]), 0.125)
        qs = block[2:]
        self.assertEqual(qs[3] & 0x0F, 0)      # -1 / 0.125 + 8 = 0
        self.assertEqual(qs[4] >> 4, 12)       # weight 20: 0.5 / 0.125 + 8 = 12, high nibble of byte 4
        self.assertEqual(qs[0], 8 | (8 << 4))  # zeros sit at the offset

    def test_q4_0_positive_maximum_gets_a_negative_scale_and_round_trips(self):
        x = np.zeros(32, dtype=np.float32)
        x[7] = 2.0
        block = make_gguf.quantize_q4_0(x)
        self.assertEqual(float(np.frombuffer(block[:2], "<f2")[0]), -0.25)
        self.assertEqual(make_gguf.dequantize(block, "q4_0", 32)[7], 2.0)

    def test_round_trip_error_is_at_most_half_a_step_except_at_the_q4_0_clamp(self):
        x = np.random.default_rng(1).normal(0, 0.02, 32 * 64).astype(np.float32).reshape(-1, 32)
        back = make_gguf.dequantize(make_gguf.quantize_q8_0(x), "q8_0", x.size).reshape(-1, 32)
        step = np.abs(x).max(axis=1, keepdims=True) / 127
        self.assertLessEqual((np.abs(back - x) / step).max(), 0.5 + 127 * 2 ** -11)
        # Q4_0 reaches -8 steps on the side of the largest magnitude, only +7 on the other: beyond 7.5 steps
        # a weight is clamped to 7 steps (error up to one step), every other one is within half a step
        back = make_gguf.dequantize(make_gguf.quantize_q4_0(x), "q4_0", x.size).reshape(-1, 32)
        step = np.abs(x).max(axis=1, keepdims=True) / 8
        steps_off = np.abs(back - x) / step  # error in steps; fp16 scale rounding adds up to 8 × 2^-11
        clamped = np.abs(x) > 7.5 * step
        self.assertLessEqual(steps_off[~clamped].max(), 0.5 + 8 * 2 ** -11)
        self.assertLessEqual(steps_off[clamped].max(), 1 + 8 * 2 ** -11)
        self.assertTrue(clamped.any())


def read_gguf(path):
    """(version, metadata dict, tensor infos [(name, shape, type, offset)], data start, file size): a reader
    independent of make_gguf's writer, from the GGUF v3 specification."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 0

    def take(fmt):
        nonlocal pos
        values = struct.unpack_from(fmt, data, pos)
        pos += struct.calcsize(fmt)
        return values if len(values) > 1 else values[0]

    def string():
        nonlocal pos
        length = take("<Q")
        pos += length
        return data[pos - length:pos].decode("utf-8")

    scalar = {4: "<I", 5: "<i", 6: "<f", 7: "<?"}

    def value(value_type):
        if value_type == 8:
            return string()
        if value_type == 9:
            element_type, count = take("<IQ")
            return [value(element_type) for _ in range(count)]
        return take(scalar[value_type])

    assert data[:4] == b"GGUF"
    pos = 4
    version, tensor_count, kv_count = take("<IQQ")
    metadata = {}
    for _ in range(kv_count):
        key = string()
        metadata[key] = value(take("<I"))
    tensors = []
    for _ in range(tensor_count):
        name = string()
        dims = take("<I")
        shape = list(struct.unpack_from(f"<{dims}Q", data, pos))
        pos += 8 * dims
        tensors.append((name, shape, *take("<IQ")))
    start = (pos + 31) // 32 * 32
    return version, metadata, tensors, start, len(data)


class GgufFileTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.model = self.folder.name
        text = {"hidden_size": 64, "intermediate_size": 96, "num_hidden_layers": 2, "num_attention_heads": 2,
                "num_key_value_heads": 1, "head_dim": 32, "vocab_size": 8, "rope_theta": 100000,
                "rms_norm_eps": 1e-5, "bos_token_id": 1, "eos_token_id": 2}
        vision = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2,
                  "image_size": 64, "patch_size": 16, "layer_norm_eps": 1e-6}
        with open(os.path.join(self.model, "config.json"), "w") as f:
            json.dump({"text_config": text, "vision_config": vision, "scale_factor": 2}, f)
        with open(os.path.join(self.model, "preprocessor_config.json"), "w") as f:
            json.dump({"image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5], "size": {"longest_edge": 256}}, f)
        tokenizer = {"model": {"type": "BPE", "vocab": {"a": 2, "b": 3, "ab": 4}, "merges": [["a", "b"]]},
                     "added_tokens": [{"id": 0, "content": "<|endoftext|>", "special": True},
                                      {"id": 1, "content": "<|im_start|>", "special": True},
                                      {"id": 6, "content": "<image>", "special": False}]}
        with open(os.path.join(self.model, "tokenizer.json"), "w") as f:
            json.dump(tokenizer, f)

    def tearDown(self):
        self.folder.cleanup()

    def write(self, block_type, seed, name):
        out = os.path.join(self.model, name)
        make_gguf.main(["--model", self.model, "--type", block_type, "--seed", str(seed), "--out", out])
        return out

    def test_header_metadata_and_aligned_tensors(self):
        version, metadata, tensors, start, size = read_gguf(self.write("q4_0", 17, "m.gguf"))
        self.assertEqual(version, 3)
        self.assertEqual(metadata["general.architecture"], "llama")
        self.assertEqual(metadata["general.file_type"], 2)
        self.assertEqual(metadata["llama.attention.head_count_kv"], 1)
        self.assertEqual(metadata["llama.feed_forward_length"], 96)
        self.assertAlmostEqual(metadata["llama.rope.freq_base"], 100000.0)
        self.assertEqual(metadata["tokenizer.ggml.tokens"],
                         ["<|endoftext|>", "<|im_start|>", "a", "b", "ab", "[PAD5]", "<image>", "[PAD7]"])
        self.assertEqual(metadata["tokenizer.ggml.token_type"], [3, 3, 1, 1, 1, 5, 4, 5])
        self.assertEqual(metadata["tokenizer.ggml.merges"], ["a b"])
        by_name = {name: (shape, ggml_type, offset) for name, shape, ggml_type, offset in tensors}
        self.assertEqual(len(tensors), 3 + 2 * 9)
        self.assertEqual(by_name["blk.1.attn_k.weight"][:2], ([64, 32], 2))
        self.assertEqual(by_name["blk.0.ffn_down.weight"][:2], ([96, 64], 2))
        self.assertEqual(by_name["output_norm.weight"][:2], ([64], 0))
        self.assertTrue(all(offset % 32 == 0 for _, _, offset in by_name.values()))
        last_name, last_shape, _, last_offset = tensors[-1]
        self.assertEqual(last_name, "output.weight")
        self.assertEqual(size, start + last_offset + make_gguf.padded(8 * 64 // 32 * 18))

    def test_same_seed_same_bytes_other_seed_other_weights(self):
        def read(path):
            with open(path, "rb") as f:
                return f.read()
        first = read(self.write("q8_0", 5, "a.gguf"))
        self.assertEqual(first, read(self.write("q8_0", 5, "b.gguf")))
        other = read(self.write("q8_0", 6, "c.gguf"))
        self.assertEqual(len(first), len(other))
        self.assertNotEqual(first, other)

    def test_mmproj_is_a_clip_file_with_the_idefics3_projector_into_the_decoder_width(self):
        version, metadata, tensors, start, size = read_gguf(self.write("mmproj-f16", 17, "v.gguf"))
        self.assertEqual(metadata["general.architecture"], "clip")
        self.assertEqual(metadata["clip.projector_type"], "idefics3")
        self.assertEqual(metadata["clip.vision.block_count"], 2)
        self.assertEqual(metadata["clip.vision.projection_dim"], 64)
        self.assertEqual(metadata["clip.vision.projector.scale_factor"], 2)
        self.assertEqual(metadata["clip.vision.preproc_image_size"], 256)
        self.assertEqual(metadata["clip.vision.image_mean"], [0.5, 0.5, 0.5])
        by_name = {name: (shape, ggml_type) for name, shape, ggml_type, _ in tensors}
        self.assertEqual(len(tensors), 3 + 2 * 16 + 3)
        self.assertEqual(by_name["v.patch_embd.weight"], ([16, 16, 3, 32], 0))
        self.assertEqual(by_name["v.position_embd.weight"], ([32, 16], 0))  # (64 / 16)^2 positions
        self.assertEqual(by_name["v.blk.1.ffn_up.weight"], ([32, 64], 1))
        self.assertEqual(by_name["v.blk.1.ffn_down.weight"], ([64, 32], 1))
        self.assertEqual(by_name["mm.model.fc.weight"], ([32 * 4, 64], 1))  # 2x2 patches shuffled into one
        last_name, last_shape, _, last_offset = tensors[-1]
        self.assertEqual(size, start + last_offset + make_gguf.padded(2 * 128 * 64))

    def test_a_folder_without_config_is_a_clear_error(self):
        os.remove(os.path.join(self.model, "config.json"))
        with self.assertRaises(SystemExit) as raised:
            self.write("q4_0", 17, "m.gguf")
        self.assertIn("cannot read the model folder", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
