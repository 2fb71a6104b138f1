#!/usr/bin/python3
"""Builds the tiny random-weight CLIP and SigLIP test models used by the Java engine tests and the reference comparison.

Writes app/src/test/resources/models/tiny-clip/ (model_type clip: shortest-edge resize then centre crop, CLIP's
byte-level BPE tokenizer, text graph with attention_mask) and tiny-siglip/ (model_type siglip: plain resize to a
square, a SentencePiece Unigram tokenizer that strips punctuation, texts padded to 64), each in fp32 and q8
(`_quantized`), with model-assets/clip/clip_graphs.py (seed 7). Deterministic: running it again rewrites the same
files.

Usage (Debian's python3-numpy and python3-onnx):
    /usr/bin/python3 model-assets/tiny-clip/build.py
"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, 'model-assets', 'clip'))
import clip_graphs  # noqa: E402

MODELS = os.path.join(REPO, 'app', 'src', 'test', 'resources', 'models')
WORDS = ['a', 'photo', 'of', 'the', 'this', 'is', 'and', 'red', 'green', 'blue', 'circle', 'square', 'triangle',
         'cat', 'dog', 'car']
README = """# {name}: a tiny random-weight {family} model

A test fixture, not a model: every weight is random (seed 7), so its embeddings mean nothing, but it is laid out
exactly like the published transformers.js ONNX exports of {family} (model_type `{model_type}`): config files, a
tokenizer of {family}'s kind and `onnx/{{text_model,vision_model,model}}` in fp32 and q8 (`_quantized`). Its
embeddings change with every pixel and token, so Glance's preprocessing, tokenization and graph feeding can be
compared with transformers.js (`scripts/reference/compare-clip-with-transformers-js.sh`).

Built by `/usr/bin/python3 model-assets/tiny-clip/build.py`; the graphs are described in model-assets/clip/clip_graphs.py.
"""


def dims(kind, vocab, eos):
    return dict(kind=kind, image_size=48, patch=16, vision_hidden=32, vision_layers=2, vision_mlp=64,
                text_hidden=32, text_layers=2, text_mlp=64, embed_dim=24, vocab=vocab,
                max_positions=77 if kind == 'clip' else 64, ln_eps=1e-5 if kind == 'clip' else 1e-6, eos_id=eos)


def main():
    for name, kind, family in (('tiny-clip', 'clip', 'CLIP'), ('tiny-siglip', 'siglip', 'SigLIP')):
        make = clip_graphs.clip_tokenizer if kind == 'clip' else clip_graphs.siglip_tokenizer
        tokenizer, tokenizer_config, eos, vocab = make(WORDS)
        d = dims(kind, vocab, eos)
        out = os.path.join(MODELS, name)
        shutil.rmtree(out, ignore_errors=True)
        clip_graphs.write_folder(out, clip_graphs.random_weights(d, 7), d, tokenizer, tokenizer_config)
        with open(os.path.join(out, 'README.md'), 'w') as f:
            f.write(README.format(name=name, family=family, model_type=kind))


if __name__ == '__main__':
    main()
