#!/usr/bin/python3
"""make_perf_model.py -- random-weight SmolVLM-256M-Instruct stand-in for SPEED / MEMORY measurements.

What it builds
--------------
A folder laid out exactly like the published ONNX export of HuggingFaceTB/SmolVLM-256M-Instruct, so
transformers.js (Idefics3ForConditionalGeneration) and Glance load it unchanged:

    config.json generation_config.json preprocessor_config.json processor_config.json
    tokenizer.json tokenizer_config.json special_tokens_map.json added_tokens.json chat_template.json
        -> the JSON files of the repository's test model (app/src/test/resources/models/tiny-random: the
           published tokenizer and configuration), with the dimensions of --size written into the configs
    onnx/vision_encoder{,_int8,_uint8,_quantized,_q4}.onnx
    onnx/embed_tokens{,_int8,_uint8,_quantized,_q4}.onnx   (_q4 is a hard link to the fp32 file, as
                                                  published: 4-bit only touches MatMul, the embedding is a Gather)
    onnx/decoder_model_merged{,_int8,_uint8,_quantized,_q4}.onnx

--size 256m (default) gives the real SmolVLM-256M dimensions below; --size tiny gives the shrunk test model
(hidden 32, 2 decoder layers, 64-pixel tiles) that model-assets/tiny-random/build.py commits.

The weights are random (seeded, small magnitude), so generated text is noise, but every tensor has
the real shape and every graph does the real amount of work:

  vision_encoder  pixel_values f32 [b,n,3,512,512], pixel_attention_mask bool [b,n,512,512]
                  -> image_features f32 [b*n, 64, 576]
      SigLIP-B/16-style ViT: Conv 16x16/16 (3->768, bias) -> 1024 patches + learned position
      embedding; 12 pre-LN layers (LayerNorm eps 1e-6, 12 heads x 64, q/k/v/out with bias, MLP
      768->3072->768 with gelu(tanh) in the decomposed form torch exports); post LayerNorm;
      Idefics3 pixel shuffle (scale 4: 1024x768 -> 64x12288); bias-free Linear 12288->576.
      The pixel mask is used "minimally": MaxPool(16x16) -> per-patch validity -> additive
      key mask in every attention layer (padding patches are ignored, as in HF Idefics3).
  embed_tokens    input_ids i64 [b,s] -> inputs_embeds f32 [b,s,576]   (Gather over 49280x576)
  decoder_model_merged
                  inputs_embeds f32 [b,s,576], attention_mask i64 [b,p+s], position_ids i64 [b,s],
                  past_key_values.{0..29}.{key,value} f32 [b,3,p,64]
                  -> logits f32 [b,s,49280], present.{0..29}.{key,value} f32 [b,3,p+s,64]
      Llama: 30 layers, hidden 576, 9 q heads / 3 kv heads (GQA via repeat_kv = Expand+Reshape, as
      the torch export does), head_dim 64, SiLU-gated MLP 1536, RMSNorm eps 1e-5 (Pow/ReduceMean/
      Add/Sqrt/Div/Mul, the pattern ORT fuses to SimplifiedLayerNormalization), RoPE theta 1e5
      computed from position_ids (rotate_half form), causal mask AND attention_mask (additive
      finfo.min), untied lm_head 576->49280 computed for every position (no num_logits_to_keep,
      as in the published export).

Precisions (same fp32 master weights for all; MatMuls whose B is a constant get quantized,
activation x activation MatMuls in attention stay fp32):
  fp32  ""       plain MatMul.
  int8  "_int8"  what transformers.js scripts/quantize.py (ORT ONNXQuantizer, IntegerOps, weight
                 QInt8, per_channel=False, reduce_range=False) emits: per-tensor symmetric int8
                 weights, DynamicQuantizeLinear(x) -> MatMulInteger(xq, Wq, x_zp, W_zp) -> Cast ->
                 Mul(Cast, Mul(x_scale, W_scale)); ORT fuses that to MatMulIntegerToFloat /
                 DynamicQuantizeMatMul. embed_tokens_int8: int8 table -> Gather -> DequantizeLinear.
                 (The patch Conv stays fp32: ConvInteger with int8 weights has no ORT CPU kernel.)
  uint8 "_uint8" the same with weight QUInt8 (ORT's asymmetric rule: range [min(w,0), max(w,0)] over 255
                 steps, zero point round(-min/scale)): DynamicQuantizeLinear -> MatMulInteger (uint8 x uint8).
  q8    "_quantized" what quantize.py's q8 mode emits for this architecture: the uint8 quantization above.
  q4    "_q4"    what MatMul4BitsQuantizer(block_size=32, is_symmetric=True, accuracy_level=None)
                 emits: com.microsoft MatMulNBits(A, B_Q4 uint8 [N, K/32, 16], scales f32 [N*K/32]),
                 attrs K, N, bits=4, block_size=32, no zero_points (implicit 8), no accuracy_level
                 attribute (--q4-accuracy-level adds one). Quantization follows MLAS symmetric
                 blockwise rules: scale = (signed value of largest |w| in the block) / -8,
                 q = clamp(round(w/scale) + 8, 0, 15), two 4-bit values per byte, element 2j in
                 the low nibble, 2j+1 in the high nibble, K-order inside each block.

Usage
-----
    python3 scripts/bench/make_perf_model.py --out perf-models/model256 [--size 256m|tiny] [--seed 256]
                                             [--modes fp32,int8,q4] [--q4-accuracy-level N] [--check]

Dependencies: numpy and onnx (Debian: apt-get install python3-numpy python3-onnx; onnx 1.12 works), nothing
else. Everything is derived from --seed. Takes ~30 s and ~2.3 GB of RAM peak on 2 cores for 256m with the
default modes; writes ~1.4 GB (embed_tokens_q4 is a hard link).
"""
import argparse
import json
import math
import os
import shutil
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, '..', '..', 'app', 'src', 'test', 'resources', 'models', 'tiny-random')
# Per size: (text_config, vision_config, scale_factor, longest edges of a tile and of the resized image,
# image_seq_len). 256m is HuggingFaceTB/SmolVLM-256M-Instruct's config.json.
SIZES = {
    '256m': (dict(hidden_size=576, num_hidden_layers=30, num_attention_heads=9, num_key_value_heads=3,
                  head_dim=64, intermediate_size=1536),
             dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
                  patch_size=16, image_size=512),
             4, 512, 2048, 64),
    'tiny': (dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1, head_dim=16,
                  intermediate_size=64),
             dict(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64, patch_size=8,
                  image_size=64),
             2, 64, 256, 16),
}
COPY_FILES = ['config.json', 'generation_config.json', 'preprocessor_config.json', 'processor_config.json',
              'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'added_tokens.json',
              'chat_template.json']
FL, I64, BOOL = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL
F32_MIN = float(np.finfo(np.float32).min)


# ----------------------------------------------------------------------------------------------
# Dimensions, read from the real config.json (so a sibling model, e.g. 500M, works too)
# ----------------------------------------------------------------------------------------------
def dims_from_config(cfg, pre, proc):
    t, v = cfg['text_config'], cfg['vision_config']
    d = dict(
        H=t['hidden_size'], L=t['num_hidden_layers'], NH=t['num_attention_heads'],
        KVH=t['num_key_value_heads'], HD=t.get('head_dim') or t['hidden_size'] // t['num_attention_heads'],
        I=t['intermediate_size'], V=t.get('vocab_size', cfg.get('vocab_size')),
        rms_eps=t['rms_norm_eps'], theta=float(t['rope_theta']),
        VH=v['hidden_size'], VL=v['num_hidden_layers'], VNH=v['num_attention_heads'],
        VI=v['intermediate_size'], P=v['patch_size'], S=pre['max_image_size']['longest_edge'],
        ln_eps=v.get('layer_norm_eps', 1e-6), scale=cfg['scale_factor'],
        seq_img=proc['image_seq_len'], text_init=t.get('initializer_range', 0.02),
        vis_init=v.get('initializer_range', 0.02),
    )
    d['G'] = d['S'] // d['P']            # patches per side (32)
    d['NP'] = d['G'] * d['G']            # patches per image (1024)
    assert d['NP'] // (d['scale'] ** 2) == d['seq_img'], 'pixel shuffle must give image_seq_len tokens'
    return d


# ----------------------------------------------------------------------------------------------
# Seeded random master weights (float32).  One independent stream per tensor name, so a weight
# does not change when other parts of the model change.
# ----------------------------------------------------------------------------------------------
class Weights:
    def __init__(self, seed):
        self.seed = seed
        self.n = 0

    def _rng(self, name):
        h = np.frombuffer(name.encode(), np.uint8).astype(np.uint64)
        key = int((h * (np.arange(len(h), dtype=np.uint64) * 131 + 7)).sum() % (2 ** 32))
        return np.random.default_rng([self.seed, key, len(name)])

    def normal(self, name, shape, std):
        a = self._rng(name).standard_normal(shape, dtype=np.float32)
        a *= np.float32(std)
        self.n += a.size
        return a

    def ones_jitter(self, name, n, jitter=0.02):  # norm gains ~1
        return (1.0 + self.normal(name, (n,), jitter)).astype(np.float32)


# ----------------------------------------------------------------------------------------------
# Quantizers (numpy re-implementations of what the ORT python quantizers emit)
# ----------------------------------------------------------------------------------------------
def quant_int8_symmetric(w):
    """ORT quantize_data(QInt8, symmetric): scale = absmax/127, zp = 0, q in [-127,127]."""
    absmax = float(np.abs(w).max())
    scale = absmax / 127.0 if absmax > 0 else 1.0
    q = np.clip(np.round(w / np.float32(scale)), -127, 127).astype(np.int8)
    return q, np.float32(scale), np.int8(0)


def quant_uint8_asymmetric(w):
    """ORT quantize_data(QUInt8, asymmetric): range [min(w,0), max(w,0)] over 255 steps."""
    rmin, rmax = min(float(w.min()), 0.0), max(float(w.max()), 0.0)
    scale = (rmax - rmin) / 255.0 if rmax > rmin else 1.0
    zero = int(np.clip(np.round(-rmin / scale), 0, 255))
    q = np.clip(np.round(w / np.float32(scale)) + zero, 0, 255).astype(np.uint8)
    return q, np.float32(scale), np.uint8(zero)


def quant_q4_blockwise(w, block=32):
    """MLAS symmetric 4-bit blockwise quantization, MatMulNBits layout.

    w: [K, N] float32 (MatMul B).  Returns packed uint8 [N, K/block, block/2], scales f32 [N*K/block],
    and the dequantized [K, N] weights (what MatMulNBits computes with)."""
    K, N = w.shape
    assert K % block == 0, (K, block)
    nb = K // block
    wt = np.ascontiguousarray(w.T).reshape(N, nb, block)
    mx, mn = wt.max(axis=2), wt.min(axis=2)
    vmax = np.where(np.abs(mx) > np.abs(mn), mx, mn)           # signed value with the largest |w|
    scale = (vmax / np.float32(-8.0)).astype(np.float32)       # maps it to q=0 (i.e. -8)
    recip = np.where(scale != 0, 1.0 / np.where(scale != 0, scale, 1), 0).astype(np.float32)
    q = np.clip(np.round(wt * recip[:, :, None]) + 8, 0, 15).astype(np.uint8)
    packed = (q[:, :, 0::2] | (q[:, :, 1::2] << 4)).astype(np.uint8)
    deq = ((q.astype(np.float32) - 8.0) * scale[:, :, None]).reshape(N, K).T
    return np.ascontiguousarray(packed), scale.reshape(-1), np.ascontiguousarray(deq)


# ----------------------------------------------------------------------------------------------
# Tiny graph builder
# ----------------------------------------------------------------------------------------------
class G:
    def __init__(self, mode, q4_accuracy_level=None):
        self.mode = mode
        self.q4_acc = q4_accuracy_level
        self.nodes, self.inits, self.inputs, self.outputs = [], [], [], []
        self.k = 0
        self.consts = {}
        self.dql_cache = {}  # activation name -> DynamicQuantizeLinear outputs (shared, like ORT's quantizer)

    def _name(self, base):
        self.k += 1
        return f'{base}_{self.k}'

    def input(self, name, t, shape):
        self.inputs.append(helper.make_tensor_value_info(name, t, shape))

    def output(self, name, t, shape):
        self.outputs.append(helper.make_tensor_value_info(name, t, shape))

    def init(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def const(self, val, dtype=None):
        a = np.array(val, dtype=dtype) if dtype is not None else np.asarray(val)
        key = (a.dtype.str, a.shape, a.tobytes())
        if key not in self.consts:
            self.consts[key] = self.init(self._name('const'), a)
        return self.consts[key]

    def i64(self, v):
        return self.const(v, np.int64)

    def f32(self, v):
        return self.const(v, np.float32)

    def op(self, op_type, inputs, n_out=1, name=None, outputs=None, domain=None, **attrs):
        nm = name or self._name('/' + op_type)
        if outputs is None:
            outputs = [f'{nm}_output_{i}' for i in range(n_out)]
        self.nodes.append(helper.make_node(op_type, inputs, outputs, name=nm, domain=domain, **attrs))
        return outputs[0] if len(outputs) == 1 else outputs

    # A Linear layer y = x @ w (+ b).  w is [K, N] (MatMul B layout, i.e. torch weight transposed).
    def linear(self, x, w, path, bias=None, out=None):
        K, N = w.shape
        mm_name = f'{path}/MatMul'
        wname = f'{path.strip("/").replace("/", ".")}.weight'
        y_name = out if (out and bias is None) else None
        if self.mode == 'fp32':
            y = self.op('MatMul', [x, self.init(wname, np.ascontiguousarray(w))], name=mm_name,
                        outputs=[y_name] if y_name else None)
        elif self.mode in ('int8', 'uint8', 'q8'):
            if x not in self.dql_cache:
                self.dql_cache[x] = self.op('DynamicQuantizeLinear', [x], n_out=3, name=f'{x}_QuantizeLinear',
                                            outputs=[f'{x}_quantized', f'{x}_scale', f'{x}_zero_point'])
            xq, xs, xz = self.dql_cache[x]
            q, s, z = quant_int8_symmetric(w) if self.mode == 'int8' else quant_uint8_asymmetric(w)
            wq = self.init(wname + '_quantized', q)
            ws = self.init(wname + '_scale', s)
            wz = self.init(wname + '_zero_point', z)
            mi = self.op('MatMulInteger', [xq, wq, xz, wz], name=mm_name + '_quant')
            f = self.op('Cast', [mi], name=mm_name + '_quant_output_scale_cast', to=FL)
            sc = self.op('Mul', [xs, ws], name=mm_name + '_quant_scales_mul')
            y = self.op('Mul', [f, sc], name=mm_name + '_quant_output_scale_mul',
                        outputs=[y_name] if y_name else None)
        elif self.mode == 'q4':
            packed, scales, _ = quant_q4_blockwise(w, 32)
            attrs = dict(K=K, N=N, bits=4, block_size=32)
            if self.q4_acc is not None:
                attrs['accuracy_level'] = self.q4_acc
            y = self.op('MatMulNBits', [x, self.init(wname + '_Q4', packed), self.init(wname + '_scales', scales)],
                        name=mm_name + '_Q4', domain='com.microsoft', outputs=[y_name] if y_name else None, **attrs)
        else:
            raise ValueError(self.mode)
        if bias is not None:
            y = self.op('Add', [self.init(wname.replace('.weight', '.bias'), bias), y], name=f'{path}/Add',
                        outputs=[out] if out else None)
        return y

    def model(self, graph_name, opset=17):
        graph = helper.make_graph(self.nodes, graph_name, self.inputs, self.outputs, self.inits)
        opsets = [helper.make_opsetid('', opset)]
        if any(n.domain == 'com.microsoft' for n in self.nodes):
            opsets.append(helper.make_opsetid('com.microsoft', 1))
        m = helper.make_model(graph, opset_imports=opsets, producer_name='perf-model/make_perf_model.py')
        m.ir_version = 8
        return m


# ----------------------------------------------------------------------------------------------
# Graphs
# ----------------------------------------------------------------------------------------------
def make_vision_weights(W, d):
    VH, VI, P, NP, H = d['VH'], d['VI'], d['P'], d['NP'], d['H']
    s = d['vis_init']
    w = {
        'patch.w': W.normal('vision.patch_embedding.weight', (VH, 3, P, P), s),
        'patch.b': W.normal('vision.patch_embedding.bias', (VH,), s),
        'pos': W.normal('vision.position_embedding.weight', (NP, VH), s),
        'post.g': W.ones_jitter('vision.post_layernorm.weight', VH), 'post.b': W.normal('vision.post_layernorm.bias', (VH,), 0.01),
        'conn': W.normal('connector.modality_projection.proj.weight', (VH * d['scale'] ** 2, H), 1.0 / math.sqrt(VH * d['scale'] ** 2)),
    }
    for i in range(d['VL']):
        p = f'vision.encoder.layers.{i}.'
        for n, shp in (('q', (VH, VH)), ('k', (VH, VH)), ('v', (VH, VH)), ('o', (VH, VH)), ('fc1', (VH, VI)), ('fc2', (VI, VH))):
            w[p + n] = W.normal(p + n + '.weight', shp, s)
            w[p + n + '.b'] = W.normal(p + n + '.bias', (shp[1],), 0.01)
        w[p + 'ln1.g'] = W.ones_jitter(p + 'layer_norm1.weight', VH)
        w[p + 'ln1.b'] = W.normal(p + 'layer_norm1.bias', (VH,), 0.01)
        w[p + 'ln2.g'] = W.ones_jitter(p + 'layer_norm2.weight', VH)
        w[p + 'ln2.b'] = W.normal(p + 'layer_norm2.bias', (VH,), 0.01)
    return w


def attention(g, q, k_transposed, v, scale, bias, path):
    """softmax(q k^T * scale + bias) v, with the node names torch's export gives."""
    sc = g.op('MatMul', [q, k_transposed], name=f'{path}/self_attn/MatMul')
    sc = g.op('Mul', [sc, scale], name=f'{path}/self_attn/Mul')
    sc = g.op('Add', [sc, bias], name=f'{path}/self_attn/Add')
    pr = g.op('Softmax', [sc], name=f'{path}/self_attn/Softmax', axis=-1)
    return g.op('MatMul', [pr, v], name=f'{path}/self_attn/MatMul_1')


def build_vision(w, d, mode, q4_acc=None):
    g = G(mode, q4_acc)
    S, P, Gd, NP, VH, NHd = d['S'], d['P'], d['G'], d['NP'], d['VH'], d['VNH']
    hd = VH // NHd
    sf = d['scale']
    g.input('pixel_values', FL, ['batch_size', 'num_images', 3, S, S])
    g.input('pixel_attention_mask', BOOL, ['batch_size', 'num_images', S, S])
    g.output('image_features', FL, ['batch_size_times_num_images', d['seq_img'], d['H']])

    px = g.op('Reshape', ['pixel_values', g.i64([-1, 3, S, S])], name='/vision_model/Reshape_pixels')
    # pixel mask -> per-patch validity -> additive key mask [N,1,1,NP]
    m = g.op('Cast', ['pixel_attention_mask'], name='/vision_model/mask/Cast', to=FL)
    m = g.op('Reshape', [m, g.i64([-1, 1, S, S])], name='/vision_model/mask/Reshape')
    pm = g.op('MaxPool', [m], name='/vision_model/mask/MaxPool', kernel_shape=[P, P], strides=[P, P])
    pm = g.op('Reshape', [pm, g.i64([-1, 1, 1, NP])], name='/vision_model/mask/Reshape_1')
    pm = g.op('Cast', [pm], name='/vision_model/mask/Cast_1', to=BOOL)
    key_bias = g.op('Where', [pm, g.f32(0.0), g.f32(F32_MIN)], name='/vision_model/mask/Where')

    x = g.op('Conv', [px, g.init('vision_model.embeddings.patch_embedding.weight', w['patch.w']),
                      g.init('vision_model.embeddings.patch_embedding.bias', w['patch.b'])],
             name='/vision_model/embeddings/patch_embedding/Conv', kernel_shape=[P, P], strides=[P, P])
    x = g.op('Reshape', [x, g.i64([0, VH, NP])], name='/vision_model/embeddings/Flatten')
    x = g.op('Transpose', [x], name='/vision_model/embeddings/Transpose', perm=[0, 2, 1])
    x = g.op('Add', [x, g.init('vision_model.embeddings.position_embedding.weight', w['pos'])],
             name='/vision_model/embeddings/Add')
    scale = g.f32(1.0 / math.sqrt(hd))
    for i in range(d['VL']):
        p = f'vision.encoder.layers.{i}.'
        path = f'/vision_model/encoder/layers.{i}'
        h = g.op('LayerNormalization', [x, g.init(f'vision_model.encoder.layers.{i}.layer_norm1.weight', w[p + 'ln1.g']),
                                        g.init(f'vision_model.encoder.layers.{i}.layer_norm1.bias', w[p + 'ln1.b'])],
                 name=f'{path}/layer_norm1/LayerNormalization', axis=-1, epsilon=d['ln_eps'])
        heads = []
        for n in ('q', 'k', 'v'):
            t = g.linear(h, w[p + n], f'{path}/self_attn/{n}_proj', bias=w[p + n + '.b'])
            t = g.op('Reshape', [t, g.i64([0, 0, NHd, hd])], name=f'{path}/self_attn/{n}/Reshape')
            perm = [0, 2, 3, 1] if n == 'k' else [0, 2, 1, 3]
            heads.append(g.op('Transpose', [t], name=f'{path}/self_attn/{n}/Transpose', perm=perm))
        q, kT, v = heads
        ctx = attention(g, q, kT, v, scale, key_bias, path)
        ctx = g.op('Transpose', [ctx], name=f'{path}/self_attn/Transpose_ctx', perm=[0, 2, 1, 3])
        ctx = g.op('Reshape', [ctx, g.i64([0, 0, VH])], name=f'{path}/self_attn/Reshape_ctx')
        ao = g.linear(ctx, w[p + 'o'], f'{path}/self_attn/out_proj', bias=w[p + 'o.b'])
        x = g.op('Add', [x, ao], name=f'{path}/Add')
        h = g.op('LayerNormalization', [x, g.init(f'vision_model.encoder.layers.{i}.layer_norm2.weight', w[p + 'ln2.g']),
                                        g.init(f'vision_model.encoder.layers.{i}.layer_norm2.bias', w[p + 'ln2.b'])],
                 name=f'{path}/layer_norm2/LayerNormalization', axis=-1, epsilon=d['ln_eps'])
        f1 = g.linear(h, w[p + 'fc1'], f'{path}/mlp/fc1', bias=w[p + 'fc1.b'])
        # gelu(approximate='tanh') exactly as torch.onnx (opset < 20) decomposes it
        c = f'{path}/mlp/act'
        x3 = g.op('Pow', [f1, g.f32(3.0)], name=f'{c}/Pow')
        t = g.op('Mul', [x3, g.f32(0.044715)], name=f'{c}/Mul')
        t = g.op('Add', [f1, t], name=f'{c}/Add')
        t = g.op('Mul', [t, g.f32(math.sqrt(2.0 / math.pi))], name=f'{c}/Mul_1')
        t = g.op('Tanh', [t], name=f'{c}/Tanh')
        t = g.op('Add', [t, g.f32(1.0)], name=f'{c}/Add_1')
        hx = g.op('Mul', [f1, g.f32(0.5)], name=f'{c}/Mul_2')
        a = g.op('Mul', [hx, t], name=f'{c}/Mul_3')
        f2 = g.linear(a, w[p + 'fc2'], f'{path}/mlp/fc2', bias=w[p + 'fc2.b'])
        x = g.op('Add', [x, f2], name=f'{path}/Add_1')
    x = g.op('LayerNormalization', [x, g.init('vision_model.post_layernorm.weight', w['post.g']),
                                    g.init('vision_model.post_layernorm.bias', w['post.b'])],
             name='/vision_model/post_layernorm/LayerNormalization', axis=-1, epsilon=d['ln_eps'])
    # Idefics3Connector.pixel_shuffle (scale 4): [N,1024,768] -> [N,64,12288]
    c = '/connector/pixel_shuffle'
    x = g.op('Reshape', [x, g.i64([0, Gd, Gd // sf, VH * sf])], name=f'{c}/Reshape')
    x = g.op('Transpose', [x], name=f'{c}/Transpose', perm=[0, 2, 1, 3])
    x = g.op('Reshape', [x, g.i64([0, Gd // sf, Gd // sf, VH * sf * sf])], name=f'{c}/Reshape_1')
    x = g.op('Transpose', [x], name=f'{c}/Transpose_1', perm=[0, 2, 1, 3])
    x = g.op('Reshape', [x, g.i64([0, NP // (sf * sf), VH * sf * sf])], name=f'{c}/Reshape_2')
    g.linear(x, w['conn'], '/connector/modality_projection/proj', out='image_features')
    return g.model('vision_encoder')


def make_text_weights(W, d):
    H, I, NH, KVH, HD, V = d['H'], d['I'], d['NH'], d['KVH'], d['HD'], d['V']
    s = d['text_init']
    w = {'embed': W.normal('model.embed_tokens.weight', (V, H), s),
         'lnf': W.ones_jitter('model.norm.weight', H),
         'lm_head': W.normal('lm_head.weight', (H, V), 1.0 / math.sqrt(H))}
    for i in range(d['L']):
        p = f'model.layers.{i}.'
        w[p + 'q'] = W.normal(p + 'self_attn.q_proj.weight', (H, NH * HD), s)
        w[p + 'k'] = W.normal(p + 'self_attn.k_proj.weight', (H, KVH * HD), s)
        w[p + 'v'] = W.normal(p + 'self_attn.v_proj.weight', (H, KVH * HD), s)
        if d.get('qkv_bias'):  # Qwen2: q/k/v projections with bias
            for n, width in (('q', NH * HD), ('k', KVH * HD), ('v', KVH * HD)):
                w[p + n + '.b'] = W.normal(p + f'self_attn.{n}_proj.bias', (width,), d['qkv_bias'])
        w[p + 'o'] = W.normal(p + 'self_attn.o_proj.weight', (NH * HD, H), s / math.sqrt(2 * d['L']) * 4)
        w[p + 'gate'] = W.normal(p + 'mlp.gate_proj.weight', (H, I), s)
        w[p + 'up'] = W.normal(p + 'mlp.up_proj.weight', (H, I), s)
        w[p + 'down'] = W.normal(p + 'mlp.down_proj.weight', (I, H), s / math.sqrt(2 * d['L']) * 4)
        w[p + 'ln1'] = W.ones_jitter(p + 'input_layernorm.weight', H)
        w[p + 'ln2'] = W.ones_jitter(p + 'post_attention_layernorm.weight', H)
    return w


def build_embed(w, d, mode):
    g = G(mode)
    g.input('input_ids', I64, ['batch_size', 'sequence_length'])
    g.output('inputs_embeds', FL, ['batch_size', 'sequence_length', d['H']])
    if mode in ('int8', 'uint8', 'q8'):  # ORT IntegerOps quantizer on a Gather: table -> Gather -> Dequantize
        q, s, z = quant_int8_symmetric(w['embed']) if mode == 'int8' else quant_uint8_asymmetric(w['embed'])
        gq = g.op('Gather', [g.init('model.embed_tokens.weight_quantized', q), 'input_ids'],
                  name='/embed_tokens/Gather_quant', axis=0)
        g.op('DequantizeLinear', [gq, g.init('model.embed_tokens.weight_scale', s),
                                  g.init('model.embed_tokens.weight_zero_point', z)],
             name='/embed_tokens/Gather_output_DequantizeLinear', outputs=['inputs_embeds'])
    else:  # fp32 (and q4: a Gather is not a MatMul, so the published _q4 file is the fp32 graph)
        g.op('Gather', [g.init('model.embed_tokens.weight', w['embed']), 'input_ids'],
             name='/embed_tokens/Gather', axis=0, outputs=['inputs_embeds'])
    return g.model('embed_tokens')


def rope(g, t, cos, sin, width, path):
    """t * cos + rotate_half(t) * sin over the last axis of size width (HF's rotate_half form)."""
    half = width // 2
    x1 = g.op('Slice', [t, g.i64([0]), g.i64([half]), g.i64([-1])], name=f'{path}/Slice')
    x2 = g.op('Slice', [t, g.i64([half]), g.i64([width]), g.i64([-1])], name=f'{path}/Slice_1')
    rot = g.op('Concat', [g.op('Neg', [x2], name=f'{path}/Neg'), x1], name=f'{path}/Concat', axis=-1)
    return g.op('Add', [g.op('Mul', [t, cos], name=f'{path}/Mul'), g.op('Mul', [rot, sin], name=f'{path}/Mul_1')],
                name=f'{path}/Add')


def rmsnorm(g, x, gain, wname, eps, path):
    sq = g.op('Pow', [x, g.f32(2.0)], name=f'{path}/Pow')
    ms = g.op('ReduceMean', [sq], name=f'{path}/ReduceMean', axes=[-1], keepdims=1)
    ad = g.op('Add', [ms, g.f32(eps)], name=f'{path}/Add')
    rt = g.op('Sqrt', [ad], name=f'{path}/Sqrt')
    y = g.op('Div', [x, rt], name=f'{path}/Div')
    return g.op('Mul', [g.init(wname, gain), y], name=f'{path}/Mul')


def build_decoder(w, d, mode, q4_acc=None):
    g = G(mode, q4_acc)
    H, L, NH, KVH, HD, V = d['H'], d['L'], d['NH'], d['KVH'], d['HD'], d['V']
    grp = NH // KVH
    g.input('inputs_embeds', FL, ['batch_size', 'sequence_length', H])
    g.input('attention_mask', I64, ['batch_size', 'total_sequence_length'])
    mrope = d.get('mrope_section')
    g.input('position_ids', I64, ([3] if mrope else []) + ['batch_size', 'sequence_length'])
    for i in range(L):
        g.input(f'past_key_values.{i}.key', FL, ['batch_size', KVH, 'past_sequence_length', HD])
        g.input(f'past_key_values.{i}.value', FL, ['batch_size', KVH, 'past_sequence_length', HD])
    g.output('logits', FL, ['batch_size', 'sequence_length', V])
    for i in range(L):
        g.output(f'present.{i}.key', FL, ['batch_size', KVH, 'total_sequence_length', HD])
        g.output(f'present.{i}.value', FL, ['batch_size', KVH, 'total_sequence_length', HD])

    # RoPE tables from position_ids: cos/sin [B,1,S,HD]
    inv_freq = (1.0 / (d['theta'] ** (np.arange(0, HD, 2, dtype=np.float64) / HD))).astype(np.float32)
    r = '/model/rotary_emb'
    pos = g.op('Cast', ['position_ids'], name=f'{r}/Cast', to=FL)
    pos = g.op('Unsqueeze', [pos, g.i64([-1])], name=f'{r}/Unsqueeze')
    fr = g.op('Mul', [pos, g.init('model.rotary_emb.inv_freq', inv_freq)], name=f'{r}/Mul')
    emb = g.op('Concat', [fr, fr], name=f'{r}/Concat', axis=-1)
    cos, sin = g.op('Cos', [emb], name=f'{r}/Cos'), g.op('Sin', [emb], name=f'{r}/Sin')
    if mrope:  # [3,B,S,HD]: each band of frequencies takes the time, height or width row (HF's mrope_section)
        rows = np.concatenate([np.full(n, i % 3) for i, n in enumerate(list(mrope) * 2)])
        select = (rows[None, :] == np.arange(3)[:, None]).astype(np.float32).reshape(3, 1, 1, HD)
        sel = g.init('model.rotary_emb.mrope_select', select)
        cos = g.op('ReduceSum', [g.op('Mul', [cos, sel], name=f'{r}/Mul_cos_select'), g.i64([0])],
                   name=f'{r}/ReduceSum_cos', keepdims=0)
        sin = g.op('ReduceSum', [g.op('Mul', [sin, sel], name=f'{r}/Mul_sin_select'), g.i64([0])],
                   name=f'{r}/ReduceSum_sin', keepdims=0)
    cos = g.op('Unsqueeze', [cos, g.i64([1])], name=f'{r}/Unsqueeze_cos')
    sin = g.op('Unsqueeze', [sin, g.i64([1])], name=f'{r}/Unsqueeze_sin')

    # additive mask [B,1,S,T]: causal (query at absolute position past+j sees keys <= it) AND attention_mask
    mpath = '/model/causal_mask'
    seq = g.op('Shape', ['inputs_embeds'], name=f'{mpath}/Shape_seq', start=1, end=2)
    past = g.op('Shape', ['past_key_values.0.key'], name=f'{mpath}/Shape_past', start=2, end=3)
    tot = g.op('Add', [past, seq], name=f'{mpath}/Add_total')
    sq = lambda t, n: g.op('Squeeze', [t, g.i64([0])], name=f'{mpath}/Squeeze_{n}')
    kv_idx = g.op('Range', [g.i64(0), sq(tot, 'tot'), g.i64(1)], name=f'{mpath}/Range_kv')
    q_idx = g.op('Range', [sq(past, 'past'), sq(tot, 'tot2'), g.i64(1)], name=f'{mpath}/Range_q')
    causal = g.op('LessOrEqual', [g.op('Unsqueeze', [kv_idx, g.i64([0])], name=f'{mpath}/Unsqueeze_kv'),
                                  g.op('Unsqueeze', [q_idx, g.i64([1])], name=f'{mpath}/Unsqueeze_q')],
                  name=f'{mpath}/LessOrEqual')                                   # [S,T]
    pad = g.op('Cast', ['attention_mask'], name=f'{mpath}/Cast_pad', to=BOOL)
    pad = g.op('Unsqueeze', [pad, g.i64([1, 2])], name=f'{mpath}/Unsqueeze_pad')  # [B,1,1,T]
    allowed = g.op('And', [causal, pad], name=f'{mpath}/And')                     # [B,1,S,T]
    mask_add = g.op('Where', [allowed, g.f32(0.0), g.f32(F32_MIN)], name=f'{mpath}/Where')

    scale = g.f32(1.0 / math.sqrt(HD))

    def repeat_kv(t, path):  # [B,KVH,T,HD] -> [B,NH,T,HD] (torch repeat_kv: expand + reshape)
        shp = g.op('Shape', [t], name=f'{path}/Shape')
        bk = g.op('Slice', [shp, g.i64([0]), g.i64([2]), g.i64([0])], name=f'{path}/Slice_bk')
        th = g.op('Slice', [shp, g.i64([2]), g.i64([4]), g.i64([0])], name=f'{path}/Slice_th')
        eshape = g.op('Concat', [bk, g.i64([grp]), th], name=f'{path}/Concat', axis=0)
        e = g.op('Expand', [g.op('Unsqueeze', [t, g.i64([2])], name=f'{path}/Unsqueeze'), eshape], name=f'{path}/Expand')
        return g.op('Reshape', [e, g.i64([0, NH, -1, HD])], name=f'{path}/Reshape')

    h = 'inputs_embeds'
    for i in range(L):
        p = f'model.layers.{i}.'
        path = f'/model/layers.{i}'
        x = rmsnorm(g, h, w[p + 'ln1'], p + 'input_layernorm.weight', d['rms_eps'], f'{path}/input_layernorm')
        q = g.linear(x, w[p + 'q'], f'{path}/self_attn/q_proj', bias=w.get(p + 'q.b'))
        k = g.linear(x, w[p + 'k'], f'{path}/self_attn/k_proj', bias=w.get(p + 'k.b'))
        v = g.linear(x, w[p + 'v'], f'{path}/self_attn/v_proj', bias=w.get(p + 'v.b'))
        q = g.op('Transpose', [g.op('Reshape', [q, g.i64([0, 0, NH, HD])], name=f'{path}/self_attn/Reshape')],
                 name=f'{path}/self_attn/Transpose', perm=[0, 2, 1, 3])
        k = g.op('Transpose', [g.op('Reshape', [k, g.i64([0, 0, KVH, HD])], name=f'{path}/self_attn/Reshape_1')],
                 name=f'{path}/self_attn/Transpose_1', perm=[0, 2, 1, 3])
        v = g.op('Transpose', [g.op('Reshape', [v, g.i64([0, 0, KVH, HD])], name=f'{path}/self_attn/Reshape_2')],
                 name=f'{path}/self_attn/Transpose_2', perm=[0, 2, 1, 3])
        q = rope(g, q, cos, sin, HD, f'{path}/self_attn/rope_q')
        k = rope(g, k, cos, sin, HD, f'{path}/self_attn/rope_k')
        kc = g.op('Concat', [f'past_key_values.{i}.key', k], name=f'{path}/self_attn/Concat_k', axis=2,
                  outputs=[f'present.{i}.key'])
        vc = g.op('Concat', [f'past_key_values.{i}.value', v], name=f'{path}/self_attn/Concat_v', axis=2,
                  outputs=[f'present.{i}.value'])
        kr = repeat_kv(kc, f'{path}/self_attn/repeat_kv_k')
        vr = repeat_kv(vc, f'{path}/self_attn/repeat_kv_v')
        kt = g.op('Transpose', [kr], name=f'{path}/self_attn/Transpose_3', perm=[0, 1, 3, 2])
        ctx = attention(g, q, kt, vr, scale, mask_add, path)
        ctx = g.op('Transpose', [ctx], name=f'{path}/self_attn/Transpose_4', perm=[0, 2, 1, 3])
        ctx = g.op('Reshape', [ctx, g.i64([0, 0, NH * HD])], name=f'{path}/self_attn/Reshape_3')
        h = g.op('Add', [h, g.linear(ctx, w[p + 'o'], f'{path}/self_attn/o_proj')], name=f'{path}/Add')
        x = rmsnorm(g, h, w[p + 'ln2'], p + 'post_attention_layernorm.weight', d['rms_eps'],
                    f'{path}/post_attention_layernorm')
        gt = g.linear(x, w[p + 'gate'], f'{path}/mlp/gate_proj')
        up = g.linear(x, w[p + 'up'], f'{path}/mlp/up_proj')
        act = g.op('Mul', [gt, g.op('Sigmoid', [gt], name=f'{path}/mlp/act_fn/Sigmoid')], name=f'{path}/mlp/act_fn/Mul')
        act = g.op('Mul', [act, up], name=f'{path}/mlp/Mul')
        h = g.op('Add', [h, g.linear(act, w[p + 'down'], f'{path}/mlp/down_proj')], name=f'{path}/Add_1')
    x = rmsnorm(g, h, w['lnf'], 'model.norm.weight', d['rms_eps'], '/model/norm')
    g.linear(x, w['lm_head'], '/lm_head', out='logits')
    return g.model('decoder_model_merged')


# ----------------------------------------------------------------------------------------------
def write_configs(template, out, size):
    """Copies the template's JSON files into out with the dimensions of size; returns the three configs."""
    text, vision, scale, tile_edge, image_edge, seq_len = size
    for f in COPY_FILES:
        shutil.copyfile(os.path.join(template, f), os.path.join(out, f))
    with open(os.path.join(template, 'config.json')) as f:
        cfg = json.load(f)
    cfg['text_config'].update(text)
    cfg['vision_config'].update(vision, max_image_size={'longest_edge': tile_edge},
                               size={'longest_edge': image_edge})
    cfg['scale_factor'] = scale
    with open(os.path.join(template, 'preprocessor_config.json')) as f:
        pre = json.load(f)
    pre['max_image_size'] = {'longest_edge': tile_edge}
    pre['size'] = {'longest_edge': image_edge}
    proc = {'image_seq_len': seq_len, 'processor_class': 'Idefics3Processor'}
    for name, value in (('config.json', cfg), ('preprocessor_config.json', pre), ('processor_config.json', proc)):
        with open(os.path.join(out, name), 'w') as f:
            json.dump(value, f, indent=2)
    return cfg, pre, proc


def save(m, path, check):
    if check and not any(n.domain == 'com.microsoft' for n in m.graph.node):
        onnx.checker.check_model(m)
    onnx.save(m, path)
    return os.path.getsize(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=os.path.join(HERE, 'model256'))
    ap.add_argument('--size', choices=sorted(SIZES), default='256m', help='the dimensions (default 256m)')
    ap.add_argument('--template', default=TEMPLATE, help='folder with the tokenizer and config JSON files')
    ap.add_argument('--seed', type=int, default=256)
    ap.add_argument('--modes', default='fp32,int8,q4')
    ap.add_argument('--graphs', default='vision_encoder,embed_tokens,decoder_model_merged')
    ap.add_argument('--q4-accuracy-level', type=int, default=None,
                    help='add accuracy_level to every MatMulNBits (published q4 files have none; 4 = int8 compute)')
    ap.add_argument('--q4-suffix', default='_q4', help='file suffix for the q4 graphs')
    ap.add_argument('--check', action='store_true', help='run onnx.checker on the standard-domain graphs')
    args = ap.parse_args()

    t0 = time.time()
    os.makedirs(os.path.join(args.out, 'onnx'), exist_ok=True)
    cfg, pre, proc = write_configs(args.template, args.out, SIZES[args.size])
    d = dims_from_config(cfg, pre, proc)
    print('dims', json.dumps(d), flush=True)

    modes = args.modes.split(',')
    graphs = args.graphs.split(',')
    suffix = {'fp32': '', 'int8': '_int8', 'uint8': '_uint8', 'q8': '_quantized', 'q4': args.q4_suffix}
    sizes = {}
    W = Weights(args.seed)
    od = os.path.join(args.out, 'onnx')
    if 'vision_encoder' in graphs:
        vw = make_vision_weights(W, d)
        for mode in modes:
            p = os.path.join(od, f'vision_encoder{suffix[mode]}.onnx')
            sizes[os.path.basename(p)] = save(build_vision(vw, d, mode, args.q4_accuracy_level), p, args.check)
            print(f'  {os.path.basename(p)}: {sizes[os.path.basename(p)]:,} B  ({time.time() - t0:.0f}s)', flush=True)
        del vw
    if 'embed_tokens' in graphs or 'decoder_model_merged' in graphs:
        tw = make_text_weights(W, d)
        for mode in modes:
            if 'embed_tokens' in graphs:
                p = os.path.join(od, f'embed_tokens{suffix[mode]}.onnx')
                if mode == 'q4' and 'fp32' in modes:  # identical graph -> hard link (saves disk)
                    if os.path.exists(p):
                        os.remove(p)
                    os.link(os.path.join(od, 'embed_tokens.onnx'), p)
                    sizes[os.path.basename(p)] = os.path.getsize(p)
                else:
                    sizes[os.path.basename(p)] = save(build_embed(tw, d, 'fp32' if mode == 'q4' else mode), p, args.check)
                print(f'  {os.path.basename(p)}: {sizes[os.path.basename(p)]:,} B  ({time.time() - t0:.0f}s)', flush=True)
            if 'decoder_model_merged' in graphs:
                p = os.path.join(od, f'decoder_model_merged{suffix[mode]}.onnx')
                sizes[os.path.basename(p)] = save(build_decoder(tw, d, mode, args.q4_accuracy_level), p, args.check)
                print(f'  {os.path.basename(p)}: {sizes[os.path.basename(p)]:,} B  ({time.time() - t0:.0f}s)', flush=True)
    print(json.dumps({'out': args.out, 'seed': args.seed, 'params_generated': W.n, 'bytes': sizes,
                      'seconds': round(time.time() - t0, 1)}, indent=1))


if __name__ == '__main__':
    main()
