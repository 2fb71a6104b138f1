#!/usr/bin/python3
"""Builds the tiny random-weight Qwen-VL test models used by the Java engine tests and the reference comparison.

Writes app/src/test/resources/models/tiny-qwen2-vl/ (model_type qwen2_vl: decoder fields at the top of config.json,
vision input grid_thw), tiny-qwen2.5-vl/ (qwen2_5_vl: decoder fields in text_config, vision input
image_grid_thw) and tiny-qwen3-vl/ (qwen3_vl: 16-pixel patches, no default system turn), each in fp32, int8 and q4, with scripts/bench/make_qwenvl_model.py (seed 7). Deterministic: running
it again rewrites the same files.

Usage (Debian's python3-numpy and python3-onnx):
    python3 model-assets/tiny-qwenvl/build.py
"""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GENERATOR = os.path.join(REPO, 'scripts', 'bench', 'make_qwenvl_model.py')
MODELS = os.path.join(REPO, 'app', 'src', 'test', 'resources', 'models')
README = """# {name}: a tiny random-weight {family} model

A test fixture, not a model: every weight is random (seed 7), so its answers are noise, but it is laid out exactly
like the published transformers.js ONNX exports of {family} (model_type `{model_type}`): config files, a tokenizer
with Qwen's special tokens and Qwen2-VL's chat template, and `onnx/{{vision_encoder,embed_tokens,decoder_model_merged}}`
in fp32, int8 and q4. Its answers change with the picture and the question, so the engine's preprocessing, prompt,
position ids and KV cache can be compared token for token with transformers.js
(`scripts/reference/compare-qwenvl-with-transformers-js.sh`).

Built by `python3 model-assets/tiny-qwenvl/build.py` (scripts/bench/make_qwenvl_model.py --size {name}); the graphs
are described there. Pictures are limited to {max_tokens} image tokens (the pixel limit in preprocessor_config.json).
"""


def main():
    for name, family, model_type in (('tiny-qwen2-vl', 'Qwen2-VL', 'qwen2_vl'),
                                     ('tiny-qwen2.5-vl', 'Qwen2.5-VL', 'qwen2_5_vl'),
                                     ('tiny-qwen3-vl', 'Qwen3-VL', 'qwen3_vl')):
        out = os.path.join(MODELS, name)
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, GENERATOR, '--out', out, '--size', name, '--seed', '7',
                        '--modes', 'fp32,int8,q4'], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, 'README.md'), 'w') as f:
            f.write(README.format(name=name, family=family, model_type=model_type, max_tokens=64))


if __name__ == '__main__':
    main()
