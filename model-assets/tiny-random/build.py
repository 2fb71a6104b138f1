#!/usr/bin/python3
"""Builds the tiny random-weight test model used by the Java engine tests.

It is the published SmolVLM-256M layout (real tokenizer, real config keys, the graphs of every precision
the random-model generator makes, with the published input and output names) with every dimension shrunk, so
the engine's read-everything-from-config path is exercised on a model whose sizes differ from the real one,
and the tests stay fast. The graphs come from scripts/bench/make_perf_model.py --size tiny, fed the JSON
files already in the output folder (the published tokenizer and configuration).

Usage (Debian's python3-onnx and python3-numpy):
    python3 model-assets/tiny-random/build.py
rewrites app/src/test/resources/models/tiny-random/: fp32 and q4; int8, uint8 and q8 (dynamic activation
quantization, for the reference comparison); and q4f16 made from q4 by half_io.py.
"""
import os
import shutil
import subprocess
import sys
import tempfile

import half_io

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GENERATOR = os.path.join(REPO, 'scripts', 'bench', 'make_perf_model.py')
OUT = os.path.join(REPO, 'app', 'src', 'test', 'resources', 'models', 'tiny-random')


def main():
    with tempfile.TemporaryDirectory() as template:
        for name in os.listdir(OUT):
            if name.endswith('.json'):
                shutil.copy(os.path.join(OUT, name), template)
        shutil.rmtree(os.path.join(OUT, 'onnx'))
        subprocess.run([sys.executable, GENERATOR, '--out', OUT, '--template', template, '--size', 'tiny',
                        '--seed', '7', '--modes', 'fp32,q4,int8,uint8,q8'], check=True)
    q4 = os.path.join(OUT, 'onnx', 'embed_tokens_q4.onnx')
    if os.path.islink(q4) or os.stat(q4).st_nlink > 1:
        data = open(q4, 'rb').read()
        os.remove(q4)
        open(q4, 'wb').write(data)
    half_io.main()


if __name__ == '__main__':
    main()
