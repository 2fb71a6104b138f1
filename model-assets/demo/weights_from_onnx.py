#!/usr/bin/python3
"""Read a checkpoint back from the exported fp32 graphs (the inverse of export.py for fp32).

    /usr/bin/python3 weights_from_onnx.py ../glance-demo-shapes build/from_onnx.pt

BatchNorm was folded into the convolutions at export, so each ConvBN gets the folded kernel and an
identity BatchNorm (weight 1, running mean 0, running variance 1 - eps, bias = folded bias): in eval
mode it computes exactly what the graph computes.  Lets training phase 3 (`train.py --converse`) start
from a model that is already exported, without rerunning phases 1 and 2.
"""
import argparse
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from model import CFG, Decoder, Vision

CONVS = ['stem', 'b1', 'b2', 'b3', 'r1a', 'r1b', 'r2a', 'r2b']


def initializers(path):
    return {t.name: numpy_helper.to_array(t) for t in onnx.load(path).graph.initializer}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('model_dir')
    ap.add_argument('out')
    a = ap.parse_args()
    onnx_dir = os.path.join(a.model_dir, 'onnx')
    v = initializers(os.path.join(onnx_dir, 'vision_encoder.onnx'))
    e = initializers(os.path.join(onnx_dir, 'embed_tokens.onnx'))
    d = initializers(os.path.join(onnx_dir, 'decoder_model_merged.onnx'))
    t = lambda x: torch.from_numpy(np.ascontiguousarray(x))
    vis, dec = Vision(), Decoder()
    vs = vis.state_dict()
    for name in CONVS:
        bn = getattr(vis, name).bn
        vs[f'{name}.conv.weight'] = t(v[f'vision.{name}.weight'])
        vs[f'{name}.bn.weight'] = torch.ones_like(vs[f'{name}.bn.weight'])
        vs[f'{name}.bn.bias'] = t(v[f'vision.{name}.bias'])
        vs[f'{name}.bn.running_mean'] = torch.zeros_like(vs[f'{name}.bn.running_mean'])
        vs[f'{name}.bn.running_var'] = torch.full_like(vs[f'{name}.bn.running_var'], 1.0 - bn.eps)
    vs['head.weight'], vs['head.bias'] = t(v['vision.head.weight']), t(v['vision.head.bias'])
    vs['proj.weight'] = t(np.concatenate([v['vision.proj.summary'], v['vision.proj.slot'],
                                          v['vision.proj.slot_index']]).T)
    vs['tokpos'] = t(v['vision.tokpos'])
    vis.load_state_dict(vs)
    ds = dec.state_dict()
    ds['embed.weight'] = t(e['model.embed_tokens.weight'])
    names = dict(q='self_attn.q_proj', k='self_attn.k_proj', v='self_attn.v_proj', o='self_attn.o_proj',
                 gate='mlp.gate_proj', up='mlp.up_proj', down='mlp.down_proj')
    for i in range(CFG['L']):
        p = f'model.layers.{i}.'
        for mine, theirs in names.items():
            ds[f'layers.{i}.{mine}.weight'] = t(d[p + theirs + '.weight'].T)
        ds[f'layers.{i}.ln1.weight'] = t(d[p + 'input_layernorm.weight'])
        ds[f'layers.{i}.ln2.weight'] = t(d[p + 'post_attention_layernorm.weight'])
    ds['norm.weight'] = t(d['model.norm.weight'])
    ds['lm_head.weight'] = t(d['lm_head.weight'].T)
    dec.load_state_dict(ds)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    torch.save(dict(vision=vis.state_dict(), decoder=dec.state_dict(), cfg=CFG, args=dict(from_onnx=a.model_dir)),
               a.out)
    print(f'wrote {a.out}')


if __name__ == '__main__':
    main()
