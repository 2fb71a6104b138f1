#!/usr/bin/python3
"""Export a trained checkpoint to the published SmolVLM/Idefics3 ONNX folder layout.

    /usr/bin/python3 export.py build/model.pt ../glance-demo-shapes [--ref DIR]

Writes config.json, generation_config.json, preprocessor_config.json, processor_config.json (derived
from the reference files, dims replaced), copies tokenizer.json, tokenizer_config.json,
special_tokens_map.json, added_tokens.json, chat_template.json, and
onnx/{vision_encoder,embed_tokens,decoder_model_merged}{,_int8,_q4}.onnx.

The graphs are written op by op with python3-onnx (a mirror of model.py; BatchNorm folded into the
convolutions).  Quantization, done here in numpy the way the ORT python quantizers do it:
  vision_encoder: convolutions + tiny projections only -> the _int8 / _q4 files hold the fp32 graph.
  int8 ("_int8"): per-tensor symmetric int8 weights, DynamicQuantizeLinear -> MatMulInteger -> Cast ->
                  Mul(x_scale * w_scale) (ORT IntegerOps, per_channel=False); embed: int8 Gather ->
                  DequantizeLinear.  Convolutions stay fp32.
  q4   ("_q4"):   com.microsoft MatMulNBits(bits=4, block_size=32, symmetric, no zero points, no
                  accuracy_level), MLAS blockwise rules; attention activation MatMuls stay fp32;
                  embed_tokens_q4 is the fp32 graph (a Gather is not a MatMul), as published.
"""
import argparse
import json
import math
import os
import shutil
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from model import CFG, VOCAB, FineStem

FL, I64, BOOL = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL
F32_MIN = float(np.finfo(np.float32).min)
# the real SmolVLM-256M-Instruct config and tokenizer files, as the Java tests keep them
REF = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'app', 'src', 'test', 'resources',
                   'models', 'smolvlm-256m-configs')
COPY = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'added_tokens.json', 'chat_template.json']


def q_int8(w):
    absmax = float(np.abs(w).max())
    scale = absmax / 127.0 if absmax > 0 else 1.0
    return np.clip(np.round(w / np.float32(scale)), -127, 127).astype(np.int8), np.float32(scale)


def q_4bit(w, block=32):
    """w [K,N] -> packed uint8 [N, K/block, block/2], scales f32 [N*K/block] (MLAS symmetric)."""
    K, N = w.shape
    nb = K // block
    wt = np.ascontiguousarray(w.T).reshape(N, nb, block)
    mx, mn = wt.max(axis=2), wt.min(axis=2)
    vmax = np.where(np.abs(mx) > np.abs(mn), mx, mn)
    scale = (vmax / np.float32(-8.0)).astype(np.float32)
    recip = np.where(scale != 0, 1.0 / np.where(scale != 0, scale, 1), 0).astype(np.float32)
    q = np.clip(np.round(wt * recip[:, :, None]) + 8, 0, 15).astype(np.uint8)
    packed = (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8)
    return np.ascontiguousarray(packed), scale.reshape(-1)


class Graph:
    def __init__(self, mode):
        self.mode = mode
        self.nodes, self.inits, self.inputs, self.outputs = [], [], [], []
        self.k = 0
        self.consts = {}
        self.dq = {}

    def name(self, base):
        self.k += 1
        return f'{base}_{self.k}'

    def init(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(np.asarray(arr)), name))
        return name

    def const(self, val, dtype):
        a = np.array(val, dtype=dtype)
        key = (a.dtype.str, a.shape, a.tobytes())
        if key not in self.consts:
            self.consts[key] = self.init(self.name('const'), a)
        return self.consts[key]

    def i64(self, v):
        return self.const(v, np.int64)

    def f32(self, v):
        return self.const(v, np.float32)

    def op(self, t, ins, n_out=1, outputs=None, domain=None, **attrs):
        nm = self.name('/' + t)
        outputs = outputs or [f'{nm}_out{i}' for i in range(n_out)]
        self.nodes.append(helper.make_node(t, ins, outputs, name=nm, domain=domain, **attrs))
        return outputs[0] if len(outputs) == 1 else outputs

    def linear(self, x, w, wname, bias=None, out=None):
        """x @ w (+ bias); w is [K,N] (torch weight transposed)."""
        K, N = w.shape
        o = [out] if (out and bias is None) else None
        if self.mode == 'fp32':
            y = self.op('MatMul', [x, self.init(wname, w)], outputs=o)
        elif self.mode == 'int8':
            if x not in self.dq:
                self.dq[x] = self.op('DynamicQuantizeLinear', [x], n_out=3)
            xq, xs, xz = self.dq[x]
            q, s = q_int8(w)
            mi = self.op('MatMulInteger', [xq, self.init(wname + '_quantized', q), xz,
                                           self.init(wname + '_zero_point', np.int8(0))])
            f = self.op('Cast', [mi], to=FL)
            sc = self.op('Mul', [xs, self.init(wname + '_scale', s)])
            y = self.op('Mul', [f, sc], outputs=o)
        else:
            packed, scales = q_4bit(w, 32)
            y = self.op('MatMulNBits', [x, self.init(wname + '_Q4', packed), self.init(wname + '_scales', scales)],
                        outputs=o, domain='com.microsoft', K=K, N=N, bits=4, block_size=32)
        if bias is not None:
            y = self.op('Add', [y, self.init(wname.replace('weight', 'bias'), bias)], outputs=[out] if out else None)
        return y

    def model(self, name):
        g = helper.make_graph(self.nodes, name, self.inputs, self.outputs, self.inits)
        ops = [helper.make_opsetid('', 17)]
        if any(n.domain == 'com.microsoft' for n in self.nodes):
            ops.append(helper.make_opsetid('com.microsoft', 1))
        m = helper.make_model(g, opset_imports=ops, producer_name='glance-demo-shapes/export.py')
        m.ir_version = 8
        return m


def np_(t):
    return t.detach().cpu().numpy().astype(np.float32)


def fold_bn(cbn):
    w = np_(cbn.conv.weight)
    bn = cbn.bn
    g = np_(bn.weight) / np.sqrt(np_(bn.running_var) + bn.eps)
    return (w * g[:, None, None, None]).astype(np.float32), (np_(bn.bias) - np_(bn.running_mean) * g).astype(np.float32)


def build_vision(vis, mode):
    """Mirror of model.Vision.  All weights are convolutions or tiny (K < 32) projections, so the
    int8/q4 variants of this graph are the fp32 graph (ConvInteger has no ORT CPU kernel; MatMulNBits
    needs K >= block size)."""
    c = CFG
    T, G_, H = c['T'], c['G'], c['H']
    g = Graph('fp32')
    g.inputs += [helper.make_tensor_value_info('pixel_values', FL, ['batch_size', 'num_images', 3, T, T]),
                 helper.make_tensor_value_info('pixel_attention_mask', BOOL, ['batch_size', 'num_images', T, T])]
    g.outputs.append(helper.make_tensor_value_info('image_features', FL, ['batch_size_times_num_images', c['SEQ'], H]))
    x = g.op('Reshape', ['pixel_values', g.i64([-1, 3, T, T])])
    m = g.op('Cast', ['pixel_attention_mask'], to=FL)
    m = g.op('Reshape', [m, g.i64([-1, 1, T, T])])
    x = g.op('Mul', [x, m])   # padding pixels -> 0 (all ones for the global image)

    def conv(x, mod, name, relu=True):
        w, b = fold_bn(mod)
        k, s, p = mod.conv.kernel_size[0], mod.conv.stride[0], mod.conv.padding[0]
        y = g.op('Conv', [x, g.init(f'vision.{name}.weight', w), g.init(f'vision.{name}.bias', b)],
                 kernel_shape=[k, k], strides=[s, s], pads=[p, p, p, p])
        return g.op('Relu', [y]) if relu else y

    if isinstance(vis.stem, FineStem):
        x = g.op('SpaceToDepth', [x], blocksize=FineStem.BLOCK)
        x = conv(conv(x, vis.stem.a, 'stem.a'), vis.stem.b, 'stem.b')
    else:
        x = conv(x, vis.stem, 'stem')
    x = conv(x, vis.b1, 'b1')
    x = conv(x, vis.b2, 'b2')
    x = conv(x, vis.b3, 'b3')
    for r in ('r1', 'r2'):
        y = conv(conv(x, getattr(vis, r + 'a'), r + 'a'), getattr(vis, r + 'b'), r + 'b', relu=False)
        x = g.op('Relu', [g.op('Add', [x, y])])
    hl = g.op('Conv', [x, g.init('vision.head.weight', np_(vis.head.weight)), g.init('vision.head.bias', np_(vis.head.bias))],
              kernel_shape=[1, 1])                                          # [N,14,G,G]
    sl = lambda t, a0, a1, ax: g.op('Slice', [t, g.i64([a0]), g.i64([a1]), g.i64([ax])])
    col_l, shp_l, ctr_l = sl(hl, 0, 9, 1), sl(hl, 9, 13, 1), sl(hl, 13, 14, 1)
    pc = sl(g.op('Softmax', [col_l], axis=1), 1, 9, 1)                     # [N,8,G,G]
    ps = sl(g.op('Softmax', [shp_l], axis=1), 1, 4, 1)                     # [N,3,G,G]
    ctr = g.op('Sigmoid', [ctr_l])                                          # [N,1,G,G]
    d = g.op('Concat', [pc, ps], axis=1)                                    # [N,11,G,G]
    w = g.op('Softmax', [ctr_l], axis=2)                                    # over rows
    D = g.op('ReduceSum', [g.op('Mul', [d, w]), g.i64([2])], keepdims=0)    # [N,11,G]
    o = g.op('ReduceSum', [ctr, g.i64([2])], keepdims=0)                    # [N,1,G]
    rank = g.op('Sub', [g.op('CumSum', [o, g.i64(2)]), o])                  # [N,1,G]
    count = g.op('ReduceSum', [o, g.i64([1, 2])], keepdims=0)               # [N]
    count = g.op('Unsqueeze', [count, g.i64([1])])                          # [N,1]
    ks = g.f32(np.arange(4, dtype=np.float32).reshape(1, 4, 1))
    dr = g.op('Sub', [rank, ks])                                            # [N,4,G]
    a = g.op('Mul', [o, g.op('Exp', [g.op('Mul', [g.op('Mul', [dr, dr]), g.f32(-4.0)])])])
    num = g.op('ReduceSum', [g.op('Mul', [g.op('Unsqueeze', [a, g.i64([2])]), g.op('Unsqueeze', [D, g.i64([1])])]),
                             g.i64([3])], keepdims=0)                       # [N,4,11]
    den = g.op('Add', [g.op('ReduceSum', [a, g.i64([2])], keepdims=1), g.f32(1e-3)])
    slot = g.op('Div', [num, den])
    pres = g.op('Clip', [g.op('Sub', [count, g.f32(np.arange(4, dtype=np.float32))]), g.f32(0.0), g.f32(1.0)])
    pres = g.op('Unsqueeze', [pres, g.i64([2])])                            # [N,4,1]
    pr = g.op('Mul', [g.op('Mul', [g.op('Unsqueeze', [pc, g.i64([2])]), g.op('Unsqueeze', [ps, g.i64([1])])]),
                      g.op('Unsqueeze', [ctr, g.i64([1])])])                # [N,8,3,G,G]
    pair = g.op('Reshape', [g.op('ReduceMax', [pr], axes=[3, 4], keepdims=0), g.i64([0, 24])])
    dc = g.op('Sub', [count, g.f32(np.arange(5, dtype=np.float32))])
    ccode = g.op('Exp', [g.op('Mul', [g.op('Mul', [dc, dc]), g.f32(-2.0)])])  # [N,5]
    P = np_(vis.proj.weight).T                                              # [SD, H]
    tokpos = np_(vis.tokpos)
    t0 = g.op('MatMul', [g.op('Concat', [pair, ccode], axis=1), g.init('vision.proj.summary', P[0:29])])
    if vis.extra:
        PE = np_(vis.proj_extra.weight).T                                   # [EXTRA, H]: Vision.extra_symbols
        cp = g.op('ReduceMax', [g.op('Mul', [pc, ctr])], axes=[2, 3], keepdims=0)          # [N,8]
        sp3 = g.op('Mul', [ps, ctr])                                                        # [N,3,G,G]
        sp = g.op('ReduceMax', [sp3], axes=[2, 3], keepdims=0)                              # [N,3]
        ds = g.op('Sub', [g.op('Unsqueeze', [g.op('ReduceSum', [sp3, g.i64([2, 3])], keepdims=0), g.i64([2])]),
                          g.f32(np.arange(5, dtype=np.float32).reshape(1, 1, 5))])          # [N,3,5]
        scode = g.op('Reshape', [g.op('Exp', [g.op('Mul', [g.op('Mul', [ds, ds]), g.f32(-2.0)])]), g.i64([0, 15])])
        sc = g.op('Sub', [g.op('Unsqueeze', [g.op('ReduceSum', [g.op('Mul', [sl(slot, 8, 11, 2), pres]), g.i64([1])],
                                                 keepdims=0), g.i64([2])]),
                          g.f32(np.arange(5, dtype=np.float32).reshape(1, 1, 5))])          # [N,3,5]
        slot_code = g.op('Reshape', [g.op('Exp', [g.op('Mul', [g.op('Mul', [sc, sc]), g.f32(-2.0)])]), g.i64([0, 15])])
        summary = g.op('Concat', [cp, sp, scode, slot_code], axis=1)                        # [N,41]
        t0 = g.op('Add', [t0, g.op('MatMul', [summary, g.init('vision.proj_extra.summary', PE[0:41])])])
        cells = (np.arange(G_, dtype=np.float32) + 0.5) / G_
        ycol = g.op('ReduceSum', [g.op('Mul', [w, g.f32(cells.reshape(1, 1, G_, 1))]), g.i64([2])], keepdims=0)  # [N,1,G]
        dx = g.op('Sub', [g.op('Div', [g.op('ReduceSum', [g.op('Mul', [a, g.f32(cells)]), g.i64([2])], keepdims=1),
                                       den]), g.f32(0.5)])                                  # [N,4,1]
        dy = g.op('Sub', [g.op('Div', [g.op('ReduceSum', [g.op('Mul', [a, ycol]), g.i64([2])], keepdims=1),
                                       den]), g.f32(0.5)])
        adiff = g.op('Sub', [g.op('Abs', [dx]), g.op('Abs', [dy])])
        k = vis.SIDE_SHARPNESS
        sig = lambda t, f: g.op('Sigmoid', [g.op('Mul', [t, g.f32(f)])])
        hor = sig(adiff, k)
        ver = g.op('Sub', [g.f32(1.0), hor])
        side = [g.op('Mul', [hor, sig(dx, -k)]), g.op('Mul', [hor, sig(dx, k)]),
                g.op('Mul', [ver, sig(dy, -k)]), g.op('Mul', [ver, sig(dy, k)])]
        pos = g.op('Concat', [g.op('Mul', [g.op('Concat', [dx, dy, adiff], axis=2), g.f32(4.0)])] + side,
                   axis=2)                                                                  # [N,4,7]
    t0 = g.op('Unsqueeze', [t0, g.i64([1])])                                # [N,1,H]
    sc8 = g.op('Unsqueeze', [sl(slot, 0, 8, 2), g.i64([3])])                # [N,4,8,1]
    ss3 = g.op('Unsqueeze', [sl(slot, 8, 11, 2), g.i64([2])])               # [N,4,1,3]
    spair = g.op('Reshape', [g.op('Mul', [sc8, ss3]), g.i64([0, 4, 24])])   # [N,4,24]
    t1 = g.op('MatMul', [g.op('Concat', [slot, spair, pres], axis=2), g.init('vision.proj.slot', P[29:65])])  # [N,4,H]
    t1 = g.op('Add', [t1, g.init('vision.proj.slot_index', P[65:69])])
    if vis.extra:
        t1 = g.op('Add', [t1, g.op('MatMul', [pos, g.init('vision.proj_extra.position', PE[41:48])])])
    shp = g.op('Concat', [g.op('Shape', [x], start=0, end=1), g.i64([c['SEQ'] - 5, H])], axis=0)
    t2 = g.op('Expand', [g.f32(np.zeros((1, 1, H), np.float32)), shp])
    feats = g.op('Concat', [t0, t1, t2], axis=1)
    g.op('Add', [feats, g.init('vision.tokpos', tokpos)], outputs=['image_features'])
    return g.model('vision_encoder')


def build_embed(dec, mode):
    g = Graph(mode)
    g.inputs.append(helper.make_tensor_value_info('input_ids', I64, ['batch_size', 'sequence_length']))
    g.outputs.append(helper.make_tensor_value_info('inputs_embeds', FL, ['batch_size', 'sequence_length', CFG['H']]))
    w = np_(dec.embed.weight)
    if mode == 'int8':
        q, s = q_int8(w)
        t = g.op('Gather', [g.init('model.embed_tokens.weight_quantized', q), 'input_ids'], axis=0)
        g.op('DequantizeLinear', [t, g.init('model.embed_tokens.weight_scale', s),
                                  g.init('model.embed_tokens.weight_zero_point', np.int8(0))], outputs=['inputs_embeds'])
    else:
        g.op('Gather', [g.init('model.embed_tokens.weight', w), 'input_ids'], axis=0, outputs=['inputs_embeds'])
    return g.model('embed_tokens')


def rmsnorm(g, x, w, name, eps):
    ms = g.op('ReduceMean', [g.op('Pow', [x, g.f32(2.0)])], axes=[-1], keepdims=1)
    y = g.op('Div', [x, g.op('Sqrt', [g.op('Add', [ms, g.f32(eps)])])])
    return g.op('Mul', [g.init(name, w), y])


def build_decoder(dec, mode):
    c = CFG
    H, L, NH, KVH, HD = c['H'], c['L'], c['NH'], c['KVH'], c['HD']
    g = Graph(mode)
    vi = helper.make_tensor_value_info
    g.inputs += [vi('inputs_embeds', FL, ['batch_size', 'sequence_length', H]),
                 vi('attention_mask', I64, ['batch_size', 'total_sequence_length']),
                 vi('position_ids', I64, ['batch_size', 'sequence_length'])]
    for i in range(L):
        g.inputs += [vi(f'past_key_values.{i}.key', FL, ['batch_size', KVH, 'past_sequence_length', HD]),
                     vi(f'past_key_values.{i}.value', FL, ['batch_size', KVH, 'past_sequence_length', HD])]
    g.outputs.append(vi('logits', FL, ['batch_size', 'sequence_length', VOCAB]))
    for i in range(L):
        g.outputs += [vi(f'present.{i}.key', FL, ['batch_size', KVH, 'total_sequence_length', HD]),
                      vi(f'present.{i}.value', FL, ['batch_size', KVH, 'total_sequence_length', HD])]
    # RoPE from position_ids
    inv = np_(dec.inv_freq)
    pos = g.op('Unsqueeze', [g.op('Cast', ['position_ids'], to=FL), g.i64([2])])
    fr = g.op('Mul', [pos, g.init('model.rotary_emb.inv_freq', inv)])
    emb = g.op('Concat', [fr, fr], axis=-1)
    cos = g.op('Unsqueeze', [g.op('Cos', [emb]), g.i64([1])])
    sin = g.op('Unsqueeze', [g.op('Sin', [emb]), g.i64([1])])
    # additive mask [B,1,S,T]: causal over absolute positions AND attention_mask
    seq = g.op('Shape', ['inputs_embeds'], start=1, end=2)
    past = g.op('Shape', ['past_key_values.0.key'], start=2, end=3)
    tot = g.op('Add', [past, seq])
    sq = lambda t: g.op('Squeeze', [t, g.i64([0])])
    kv_idx = g.op('Range', [g.i64(0), sq(tot), g.i64(1)])
    q_idx = g.op('Range', [sq(past), sq(tot), g.i64(1)])
    causal = g.op('LessOrEqual', [g.op('Unsqueeze', [kv_idx, g.i64([0])]), g.op('Unsqueeze', [q_idx, g.i64([1])])])
    pad = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], to=BOOL), g.i64([1, 2])])
    mask_add = g.op('Where', [g.op('And', [causal, pad]), g.f32(0.0), g.f32(F32_MIN)])
    half = HD // 2

    def rope(t):
        x1 = g.op('Slice', [t, g.i64([0]), g.i64([half]), g.i64([-1])])
        x2 = g.op('Slice', [t, g.i64([half]), g.i64([HD]), g.i64([-1])])
        rot = g.op('Concat', [g.op('Neg', [x2]), x1], axis=-1)
        return g.op('Add', [g.op('Mul', [t, cos]), g.op('Mul', [rot, sin])])

    def repeat_kv(t):
        shp = g.op('Shape', [t])
        bk = g.op('Slice', [shp, g.i64([0]), g.i64([2]), g.i64([0])])
        th = g.op('Slice', [shp, g.i64([2]), g.i64([4]), g.i64([0])])
        e = g.op('Expand', [g.op('Unsqueeze', [t, g.i64([2])]), g.op('Concat', [bk, g.i64([NH // KVH]), th], axis=0)])
        return g.op('Reshape', [e, g.i64([0, NH, -1, HD])])

    h = 'inputs_embeds'
    for i, l in enumerate(dec.layers):
        p = f'model.layers.{i}.'
        x = rmsnorm(g, h, np_(l.ln1.weight), p + 'input_layernorm.weight', l.ln1.eps)
        q = g.linear(x, np_(l.q.weight).T, p + 'self_attn.q_proj.weight')
        k = g.linear(x, np_(l.k.weight).T, p + 'self_attn.k_proj.weight')
        v = g.linear(x, np_(l.v.weight).T, p + 'self_attn.v_proj.weight')
        q = g.op('Transpose', [g.op('Reshape', [q, g.i64([0, 0, NH, HD])])], perm=[0, 2, 1, 3])
        k = g.op('Transpose', [g.op('Reshape', [k, g.i64([0, 0, KVH, HD])])], perm=[0, 2, 1, 3])
        v = g.op('Transpose', [g.op('Reshape', [v, g.i64([0, 0, KVH, HD])])], perm=[0, 2, 1, 3])
        q, k = rope(q), rope(k)
        kc = g.op('Concat', [f'past_key_values.{i}.key', k], axis=2, outputs=[f'present.{i}.key'])
        vc = g.op('Concat', [f'past_key_values.{i}.value', v], axis=2, outputs=[f'present.{i}.value'])
        kt = g.op('Transpose', [repeat_kv(kc)], perm=[0, 1, 3, 2])
        sc = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, kt]), g.f32(1.0 / math.sqrt(HD))]), mask_add])
        a = g.op('MatMul', [g.op('Softmax', [sc], axis=-1), repeat_kv(vc)])
        a = g.op('Reshape', [g.op('Transpose', [a], perm=[0, 2, 1, 3]), g.i64([0, 0, NH * HD])])
        h = g.op('Add', [h, g.linear(a, np_(l.o.weight).T, p + 'self_attn.o_proj.weight')])
        x = rmsnorm(g, h, np_(l.ln2.weight), p + 'post_attention_layernorm.weight', l.ln2.eps)
        gt = g.linear(x, np_(l.gate.weight).T, p + 'mlp.gate_proj.weight')
        up = g.linear(x, np_(l.up.weight).T, p + 'mlp.up_proj.weight')
        act = g.op('Mul', [g.op('Mul', [gt, g.op('Sigmoid', [gt])]), up])
        h = g.op('Add', [h, g.linear(act, np_(l.down.weight).T, p + 'mlp.down_proj.weight')])
    x = rmsnorm(g, h, np_(dec.norm.weight), 'model.norm.weight', dec.norm.eps)
    g.linear(x, np_(dec.lm_head.weight).T, 'lm_head.weight', out='logits')
    return g.model('decoder_model_merged')


def write_configs(out, ref):
    c = CFG
    cfg = json.load(open(os.path.join(ref, 'config.json')))
    t = cfg['text_config']
    t.update(hidden_size=c['H'], intermediate_size=c['I'], num_hidden_layers=c['L'], num_attention_heads=c['NH'],
             num_key_value_heads=c['KVH'], head_dim=c['HD'], vocab_size=VOCAB, rms_norm_eps=c['rms_eps'],
             rope_theta=int(c['theta']), initializer_range=0.02, _name_or_path='glance-demo-shapes')
    v = cfg['vision_config']
    v.update(hidden_size=c['C'][2], intermediate_size=c['C'][2], num_hidden_layers=0, num_attention_heads=1,
             image_size=c['T'], patch_size=c['P'], layer_norm_eps=c['ln_eps'], hidden_act='relu',
             max_image_size={'longest_edge': c['T']}, size={'longest_edge': 2 * c['T']})
    cfg.update(scale_factor=c['SF'], image_token_id=49190, vocab_size=VOCAB, torch_dtype='float32')
    json.dump(cfg, open(os.path.join(out, 'config.json'), 'w'), indent=2)
    pre = json.load(open(os.path.join(ref, 'preprocessor_config.json')))
    pre.update(do_image_splitting=False, max_image_size={'longest_edge': c['T']}, size={'longest_edge': 2 * c['T']})
    json.dump(pre, open(os.path.join(out, 'preprocessor_config.json'), 'w'), indent=2)
    proc = json.load(open(os.path.join(ref, 'processor_config.json')))
    proc['image_seq_len'] = c['SEQ']
    assert c['SEQ'] == (c['T'] // c['P']) ** 2 // c['SF'] ** 2
    json.dump(proc, open(os.path.join(out, 'processor_config.json'), 'w'), indent=2)
    shutil.copyfile(os.path.join(ref, 'generation_config.json'), os.path.join(out, 'generation_config.json'))
    for f in COPY:
        shutil.copyfile(os.path.join(ref, f), os.path.join(out, f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('ckpt')
    ap.add_argument('out')
    ap.add_argument('--ref', default=REF)
    ap.add_argument('--modes', default='fp32,int8,q4')
    a = ap.parse_args()
    from evaluate import load
    vis, dec = load(a.ckpt)
    od = os.path.join(a.out, 'onnx')
    os.makedirs(od, exist_ok=True)
    write_configs(a.out, a.ref)
    suffix = dict(fp32='', int8='_int8', q4='_q4')
    for mode in a.modes.split(','):
        s = suffix[mode]
        for name, m in (('vision_encoder', build_vision(vis, mode)),
                        ('embed_tokens', build_embed(dec, 'fp32' if mode == 'q4' else mode)),
                        ('decoder_model_merged', build_decoder(dec, mode))):
            if mode != 'q4':
                onnx.checker.check_model(m)
            p = os.path.join(od, f'{name}{s}.onnx')
            onnx.save(m, p)
            print(f'{p}: {os.path.getsize(p):,} B', flush=True)


if __name__ == '__main__':
    main()
