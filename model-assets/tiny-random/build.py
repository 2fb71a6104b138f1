#!/usr/bin/python3
"""Builds the tiny random-weight test model used by the Java engine tests.

It is the published SmolVLM-256M layout (real tokenizer, real config keys, fp32 and q4 graphs with
the published input and output names) with every dimension shrunk, so the engine's read-everything-from-
config path is exercised on a model whose sizes differ from the real one, and the tests stay fast.
The graphs come from ../../../shared/tools/make_perf_model.py, fed a reference folder whose config
files carry the small dimensions.

Usage (Debian's python3-onnx and numpy):
    /usr/bin/python3 model-assets/tiny-random/build.py
writes app/src/test/resources/models/tiny-random/ (about 17 MB: fp32 and q4, and q4f16 made from q4 by
half_io.py, to keep it small).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import half_io

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(REPO), 'shared')
REF = os.path.join(SHARED, 'reference', 'SmolVLM-256M-Instruct')
OUT = os.path.join(REPO, 'app', 'src', 'test', 'resources', 'models', 'tiny-random')

TEXT = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1, head_dim=16,
            intermediate_size=64)
VISION = dict(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64, patch_size=8,
              image_size=64, max_image_size={'longest_edge': 64}, size={'longest_edge': 256})


def main():
    with tempfile.TemporaryDirectory() as ref:
        for name in os.listdir(REF):
            if name.endswith('.json'):
                shutil.copy(os.path.join(REF, name), ref)
        with open(os.path.join(ref, 'config.json')) as f:
            config = json.load(f)
        config['text_config'].update(TEXT)
        config['vision_config'].update(VISION)
        config['scale_factor'] = 2
        with open(os.path.join(ref, 'config.json'), 'w') as f:
            json.dump(config, f, indent=2)
        with open(os.path.join(ref, 'preprocessor_config.json')) as f:
            pre = json.load(f)
        pre['max_image_size'] = {'longest_edge': 64}
        pre['size'] = {'longest_edge': 256}
        with open(os.path.join(ref, 'preprocessor_config.json'), 'w') as f:
            json.dump(pre, f, indent=2)
        with open(os.path.join(ref, 'processor_config.json'), 'w') as f:
            json.dump({'image_seq_len': 16, 'processor_class': 'Idefics3Processor'}, f, indent=2)
        if os.path.isdir(OUT):
            shutil.rmtree(OUT)
        subprocess.run([sys.executable, os.path.join(SHARED, 'tools', 'make_perf_model.py'), '--out', OUT,
                        '--ref', ref, '--seed', '7', '--modes', 'fp32,q4'], check=True)
    q4 = os.path.join(OUT, 'onnx', 'embed_tokens_q4.onnx')
    if os.path.islink(q4) or os.stat(q4).st_nlink > 1:
        data = open(q4, 'rb').read()
        os.remove(q4)
        open(q4, 'wb').write(data)
    half_io.main()


if __name__ == '__main__':
    main()
