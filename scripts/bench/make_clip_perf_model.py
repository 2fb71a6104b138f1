#!/usr/bin/python3
"""make_clip_perf_model.py -- random-weight stand-in with the dimensions of OpenAI CLIP ViT-B/32, for SPEED
measurements of image–text embeddings (not for fidelity: the weights are random and the tokenizer is a toy one).

Writes, in the transformers.js layout Glance reads (model-assets/clip/clip_graphs.py builds the graphs):
    config.json preprocessor_config.json (224 px shortest edge, centre crop) tokenizer.json tokenizer_config.json
    onnx/vision_model{,_quantized}.onnx   ViT-B/32: 7x7 patches of 32 px + class token, hidden 768, 12 layers,
                                          MLP 3072, projection 512 (heads of 16 instead of 64: the same MatMuls)
    onnx/text_model{,_quantized}.onnx     hidden 512, 12 layers, MLP 2048, 49408-token table, 77 positions
    onnx/model{,_quantized}.onnx          both, with the logits (what zero-shot labels run)

Usage: /usr/bin/python3 scripts/bench/make_clip_perf_model.py --out perf-models/clip-b32 [--modes fp32,q8]
About 30 s and 1.2 GB on disk for both modes (450 MB for q8 alone).
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'model-assets', 'clip'))
import clip_graphs  # noqa: E402

B32 = dict(kind='clip', image_size=224, patch=32, vision_hidden=768, vision_layers=12, vision_mlp=3072,
           text_hidden=512, text_layers=12, text_mlp=2048, embed_dim=512, vocab=49408, max_positions=77, ln_eps=1e-5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', required=True)
    parser.add_argument('--modes', default='fp32,q8')
    args = parser.parse_args()
    tokenizer, config, eos, _ = clip_graphs.clip_tokenizer(['a', 'photo', 'of', 'red', 'circle'])
    d = dict(B32, eos_id=eos)
    clip_graphs.write_folder(args.out, clip_graphs.random_weights(d, 32), d, tokenizer, config,
                             modes=tuple(args.modes.split(',')), graphs=('text_model', 'vision_model', 'model'))


if __name__ == '__main__':
    main()
