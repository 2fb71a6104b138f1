#!/usr/bin/python3
"""make_qwenvl_model.py -- random-weight Qwen2-VL / Qwen2.5-VL models in the published transformers.js ONNX layout.

What it builds
--------------
A folder laid out like the ONNX exports of the Qwen-VL family that transformers.js 4.3.2 runs
(Qwen2VLForConditionalGeneration / Qwen2_5_VLForConditionalGeneration):

    config.json generation_config.json preprocessor_config.json tokenizer.json tokenizer_config.json
    special_tokens_map.json chat_template.json
    onnx/vision_encoder{,_int8,_q4}.onnx  onnx/embed_tokens{,_int8,_q4}.onnx  onnx/decoder_model_merged{,_int8,_q4}.onnx

--size tiny-qwen2-vl, tiny-qwen2.5-vl and tiny-qwen3-vl are the test fixtures model-assets/tiny-qwenvl/build.py
commits (the Qwen3-VL one has its preprocessing: 16-pixel patches, pixel limits as size.shortest_edge/longest_edge,
mean and std 0.5, and a chat template without a default system turn; its graphs are built as the Qwen2.5-VL
fixture's);
--size qwen2-vl-2b has the dimensions of Qwen/Qwen2-VL-2B-Instruct (for speed and memory work: write it
outside the repository, with --modes q4).

The graphs (weights random, seeded; every tensor of the real shape for the real sizes):

  vision_encoder  pixel_values f32 [patches, 3*2*14*14], grid_thw (qwen2_vl) / image_grid_thw (qwen2_5_vl)
                  i64 [1, 3] -> image_features f32 [patches/4, hidden]
      patch embedding (MatMul over the 1176 values of a patch, fp32 in every precision as the published
      Conv3d is); Qwen2-VL's 2-D rotary embedding computed in the graph from the grid (row and column of each
      patch in merge-block order, exactly as rot_pos_emb); pre-norm blocks (LayerNorm for Qwen2-VL, RMSNorm for
      Qwen2.5-VL) with fused qkv (bias), full attention over the picture's patches (Qwen2.5-VL's windowed
      attention is left out: the fixtures test what the engine feeds and reads, not the encoder's inside),
      quick-GELU MLP; the patch merger (norm, four consecutive rows concatenated, Linear-GELU-Linear).
      One picture per call (the first row of the grid), as transformers.js calls it.
  embed_tokens    input_ids i64 [b,s] -> inputs_embeds f32 [b,s,hidden]
  decoder_model_merged
                  inputs_embeds, attention_mask i64 [b,p+s], position_ids i64 [3,b,s] (multimodal rotary:
                  rope_scaling.mrope_section picks which frequency bands take the time, height and width rows),
                  past_key_values.N.key/value [b,kv_heads,p,head_dim] -> logits, present.N.key/value
      Qwen2 layers: q/k/v with bias, GQA, RMSNorm, SwiGLU MLP; scripts/bench/make_perf_model.py's decoder
      with those two options.

Precisions: fp32, int8 (DynamicQuantizeLinear + MatMulInteger, as ORT's quantizer writes) and q4 (MatMulNBits),
from scripts/bench/make_perf_model.py's graph builder.

The tokenizer is this script's own: byte-level BPE (256 byte tokens and merges learned from a few English
sentences, 512 tokens in all) with Qwen's special tokens and pre-tokenizer, so the fixtures stay small; the
chat template is Qwen2-VL's published one.

Usage: python3 scripts/bench/make_qwenvl_model.py --out DIR --size tiny-qwen2-vl [--seed 7] [--modes fp32,int8,q4]
Needs numpy and onnx (Debian: apt-get install python3-numpy python3-onnx).
"""
import argparse
import collections
import json
import math
import os
import re
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_perf_model as base  # noqa: E402  (the graph builder, quantizers, Weights and the decoder)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'model-assets', 'demo'))
import bpe  # noqa: E402  (GPT-2's byte-to-character table)

FL, I64 = base.FL, base.I64

SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|object_ref_start|>', '<|object_ref_end|>',
                  '<|box_start|>', '<|box_end|>', '<|quad_start|>', '<|quad_end|>', '<|vision_start|>',
                  '<|vision_end|>', '<|vision_pad|>', '<|image_pad|>', '<|video_pad|>']
VOCAB_SIZE = 512
REAL_SPECIAL_START = 151643  # Qwen's <|endoftext|>; the tokenizer's special ids follow its vocabulary

# Qwen/Qwen2-VL-2B-Instruct's chat template (Qwen2.5-VL publishes the same one).
CHAT_TEMPLATE = (
    "{% set image_count = namespace(value=0) %}{% set video_count = namespace(value=0) %}{% for message in messages %}"
    "{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
    "{% endif %}<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}{{ message['content'] }}"
    "<|im_end|>\n{% else %}{% for content in message['content'] %}{% if content['type'] == 'image' or 'image' in "
    "content or 'image_url' in content %}{% set image_count.value = image_count.value + 1 %}{% if add_vision_id %}"
    "Picture {{ image_count.value }}: {% endif %}<|vision_start|><|image_pad|><|vision_end|>{% elif content['type'] "
    "== 'video' or 'video' in content %}{% set video_count.value = video_count.value + 1 %}{% if add_vision_id %}"
    "Video {{ video_count.value }}: {% endif %}<|vision_start|><|video_pad|><|vision_end|>{% elif 'text' in content %}"
    "{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}{% if add_generation_prompt %}"
    "<|im_start|>assistant\n{% endif %}")
DEFAULT_SYSTEM_BLOCK = ("{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful "
                        "assistant.<|im_end|>\n{% endif %}")
assert DEFAULT_SYSTEM_BLOCK in CHAT_TEMPLATE
PRE_TOKENIZER_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                       r"|\s*[\r\n]+|\s+(?!\S)|\s+")
CORPUS = """You are a helpful assistant. Describe the image. What is in this picture? What color is the circle?
How many squares are there? Is there a red triangle on the left? The image shows a blue circle and a green square
on a white background. There are three shapes: a red circle, a yellow triangle and a purple square. Read the text
on the label. The sign says stop. What is wrong with this plant? The leaves are brown at the edges, which means it
needs more water. Where is the cat? The cat is on the right, under the table. Count the people in the photo.
What time does the clock show? It is ten past four. What is a cat? A cat is a small animal with soft fur.
Hello! I can answer questions about pictures: colors, shapes, objects, text and where things are."""

SIZES = {
    # model_type, text dims, vision dims, preprocessor pixel limits (and patch size where it is not 14)
    'tiny-qwen2-vl': ('qwen2_vl',
                      dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           intermediate_size=128, vocab_size=VOCAB_SIZE, max_position_embeddings=4096),
                      dict(embed_dim=32, depth=1, num_heads=2, mlp_ratio=2),
                      (28 * 28 * 4, 28 * 28 * 64)),
    'tiny-qwen2.5-vl': ('qwen2_5_vl',
                        dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                             intermediate_size=128, vocab_size=VOCAB_SIZE, max_position_embeddings=4096),
                        dict(embed_dim=32, depth=2, num_heads=2, mlp_ratio=2),
                        (28 * 28 * 4, 28 * 28 * 64)),
    'qwen2-vl-2b': ('qwen2_vl',
                    dict(hidden_size=1536, num_hidden_layers=28, num_attention_heads=12, num_key_value_heads=2,
                         intermediate_size=8960, vocab_size=151936, max_position_embeddings=32768),
                    dict(embed_dim=1280, depth=32, num_heads=16, mlp_ratio=4),
                    (56 * 56, 28 * 28 * 1280)),
    # Qwen3-VL's preprocessing: 16-pixel patches (blocks of 32), limits as size.shortest_edge / longest_edge
    'tiny-qwen3-vl': ('qwen3_vl',
                      dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           intermediate_size=128, vocab_size=VOCAB_SIZE, max_position_embeddings=4096),
                      dict(embed_dim=32, depth=1, num_heads=2, mlp_ratio=2),
                      (32 * 32 * 4, 32 * 32 * 64), 16),
}
MROPE_SECTION = {16: [2, 3, 3], 128: [16, 24, 24]}  # by head_dim; sums to head_dim / 2
MERGE, TEMPORAL = 2, 2
# Weight scale of the decoder: the fixtures' is large, so that a few small layers mix the image and the question
# into answers that change with them instead of repeating one token (random small weights leave every layer close
# to the identity); the real size keeps the usual initializer.
TEXT_INIT = {True: 0.25, False: 0.02}


# ----------------------------------------------------------------------------------------------
# Tokenizer: byte-level BPE learned from CORPUS
# ----------------------------------------------------------------------------------------------
def learn_bpe(merges_wanted):
    byte_chars = bpe.byte_to_unicode()
    words = collections.Counter(re.findall(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]| ?[^\sA-Za-z0-9]+|\s+", CORPUS))
    splits = {w: [byte_chars[b] for b in w.encode()] for w in words}
    merges = []
    while len(merges) < merges_wanted:
        pairs = collections.Counter()
        for w, count in words.items():
            parts = splits[w]
            for a, b in zip(parts, parts[1:]):
                pairs[(a, b)] += count
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]  # most frequent; ties by the pair itself
        merges.append(best)
        for w in words:
            parts, merged, i = splits[w], [], 0
            while i < len(parts):
                if i + 1 < len(parts) and (parts[i], parts[i + 1]) == best:
                    merged.append(parts[i] + parts[i + 1])
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            splits[w] = merged
    vocab = {byte_chars[b]: b for b in range(256)}
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    return vocab, merges


def tokenizer_json(vocab, merges):
    specials = {t: len(vocab) + i for i, t in enumerate(SPECIAL_TOKENS)}
    return {
        'version': '1.0', 'truncation': None, 'padding': None,
        'added_tokens': [{'id': i, 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False,
                          'normalized': False, 'special': True} for t, i in specials.items()],
        'normalizer': {'type': 'NFC'},
        'pre_tokenizer': {'type': 'Sequence', 'pretokenizers': [
            {'type': 'Split', 'pattern': {'Regex': PRE_TOKENIZER_REGEX}, 'behavior': 'Isolated', 'invert': False},
            {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': False, 'use_regex': False}]},
        'post_processor': {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': False, 'use_regex': False},
        'decoder': {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': False, 'use_regex': False},
        'model': {'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': '',
                  'end_of_word_suffix': '', 'fuse_unk': False, 'byte_fallback': False, 'ignore_merges': False,
                  'vocab': vocab, 'merges': [f'{a} {b}' for a, b in merges]},
    }, specials


def write_json(out, name, value):
    with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write('\n')


def write_configs(out, size):
    model_type, text, vision, (min_pixels, max_pixels), *patch = SIZES[size]
    patch = patch[0] if patch else 14
    # Qwen3-VL's template adds no system turn of its own; the fixture keeps Qwen2-VL's otherwise
    template = CHAT_TEMPLATE if model_type != 'qwen3_vl' else CHAT_TEMPLATE.replace(DEFAULT_SYSTEM_BLOCK, '')
    vocab, merges = learn_bpe(VOCAB_SIZE - 256 - len(SPECIAL_TOKENS))
    if not size.startswith('tiny'):  # real size: unused entries up to the real special ids (151643 on)
        for i in range(len(vocab), REAL_SPECIAL_START):
            vocab[f'<unused_{i}>'] = i
    tok, ids = tokenizer_json(vocab, merges)
    if size.startswith('tiny'):
        assert len(vocab) + len(ids) == VOCAB_SIZE, (len(vocab), len(ids))
    write_json(out, 'tokenizer.json', tok)
    head_dim = text['hidden_size'] // text['num_attention_heads']
    text = dict(text, rms_norm_eps=1e-6, rope_theta=1000000.0, hidden_act='silu', tie_word_embeddings=False,
                rope_scaling={'type': 'mrope', 'mrope_section': MROPE_SECTION[head_dim]},
                bos_token_id=ids['<|endoftext|>'], eos_token_id=ids['<|im_end|>'], initializer_range=0.02)
    vis = dict(vision, in_chans=3, hidden_size=text['hidden_size'], patch_size=patch, spatial_merge_size=MERGE,
               spatial_patch_size=patch, temporal_patch_size=TEMPORAL)
    tokens = dict(image_token_id=ids['<|image_pad|>'], video_token_id=ids['<|video_pad|>'],
                  vision_start_token_id=ids['<|vision_start|>'], vision_end_token_id=ids['<|vision_end|>'],
                  vision_token_id=ids['<|vision_pad|>'])
    arch = {'qwen2_vl': 'Qwen2VLForConditionalGeneration', 'qwen2_5_vl': 'Qwen2_5_VLForConditionalGeneration',
            'qwen3_vl': 'Qwen3VLForConditionalGeneration'}
    if model_type == 'qwen2_vl':  # decoder fields at the top level, as Qwen2-VL publishes them
        cfg = dict(architectures=[arch[model_type]], model_type=model_type, **text, **tokens, vision_config=vis)
    else:  # later types keep them in text_config
        vis = dict(vis, out_hidden_size=text['hidden_size'], fullatt_block_indexes=list(range(vision['depth'])))
        cfg = dict(architectures=[arch[model_type]], model_type=model_type, **tokens,
                   text_config=dict(text, model_type=model_type + '_text'), vision_config=vis,
                   vocab_size=text['vocab_size'], eos_token_id=text['eos_token_id'])
    write_json(out, 'config.json', cfg)
    write_json(out, 'generation_config.json', {'bos_token_id': ids['<|endoftext|>'],
                                               'eos_token_id': [ids['<|im_end|>'], ids['<|endoftext|>']],
                                               'pad_token_id': ids['<|endoftext|>']})
    limits = ({'size': {'shortest_edge': min_pixels, 'longest_edge': max_pixels}} if model_type == 'qwen3_vl'
              else {'min_pixels': min_pixels, 'max_pixels': max_pixels})
    mean_std = ({'image_mean': [0.5, 0.5, 0.5], 'image_std': [0.5, 0.5, 0.5]} if model_type == 'qwen3_vl'
                else {'image_mean': [0.48145466, 0.4578275, 0.40821073], 'image_std': [0.26862954, 0.26130258, 0.27577711]})
    write_json(out, 'preprocessor_config.json', {
        **limits, 'patch_size': patch, 'temporal_patch_size': TEMPORAL, 'merge_size': MERGE, **mean_std,
        'image_processor_type': 'Qwen2VLImageProcessor', 'processor_class': 'Qwen2VLProcessor', 'resample': 3,
        'do_resize': True, 'do_rescale': True, 'rescale_factor': 1 / 255, 'do_normalize': True, 'do_convert_rgb': True})
    write_json(out, 'tokenizer_config.json', {
        'add_prefix_space': False, 'added_tokens_decoder': {str(i): {
            'content': t, 'lstrip': False, 'normalized': False, 'rstrip': False, 'single_word': False,
            'special': True} for t, i in ids.items()},
        'additional_special_tokens': SPECIAL_TOKENS[1:], 'bos_token': None, 'chat_template': template,
        'clean_up_tokenization_spaces': False, 'eos_token': '<|im_end|>', 'errors': 'replace',
        'model_max_length': text['max_position_embeddings'], 'pad_token': '<|endoftext|>',
        'split_special_tokens': False, 'tokenizer_class': 'Qwen2Tokenizer', 'unk_token': None})
    write_json(out, 'chat_template.json', {'chat_template': template})
    write_json(out, 'special_tokens_map.json', {'additional_special_tokens': SPECIAL_TOKENS[1:],
                                                'eos_token': '<|im_end|>', 'pad_token': '<|endoftext|>'})
    d = dict(H=text['hidden_size'], L=text['num_hidden_layers'], NH=text['num_attention_heads'],
             KVH=text['num_key_value_heads'], HD=head_dim, I=text['intermediate_size'], V=text['vocab_size'],
             rms_eps=1e-6, theta=1000000.0, text_init=TEXT_INIT[size.startswith('tiny')], qkv_bias=0.02, mrope_section=MROPE_SECTION[head_dim],
             VH=vision['embed_dim'], VL=vision['depth'], VNH=vision['num_heads'],
             VI=vision['embed_dim'] * vision['mlp_ratio'], vis_init=0.02, ln_eps=1e-6, P=patch,
             rms_norm_vision=model_type != 'qwen2_vl',
             grid_name='grid_thw' if model_type == 'qwen2_vl' else 'image_grid_thw')
    return d


# ----------------------------------------------------------------------------------------------
# Vision encoder
# ----------------------------------------------------------------------------------------------
def make_vision_weights(W, d):
    VH, VI, H = d['VH'], d['VI'], d['H']
    s = d['vis_init']
    pd = 3 * TEMPORAL * d['P'] * d['P']
    w = {'patch': W.normal('visual.patch_embed.proj.weight', (pd, VH), 1.0 / math.sqrt(pd)),
         'merger.ln.g': W.ones_jitter('visual.merger.ln_q.weight', VH),
         'merger.ln.b': W.normal('visual.merger.ln_q.bias', (VH,), 0.01),
         'merger.fc1': W.normal('visual.merger.mlp.0.weight', (4 * VH, 4 * VH), 1.0 / math.sqrt(4 * VH)),
         'merger.fc1.b': W.normal('visual.merger.mlp.0.bias', (4 * VH,), 0.01),
         'merger.fc2': W.normal('visual.merger.mlp.2.weight', (4 * VH, H), 1.0 / math.sqrt(4 * VH)),
         'merger.fc2.b': W.normal('visual.merger.mlp.2.bias', (H,), 0.01)}
    for i in range(d['VL']):
        p = f'visual.blocks.{i}.'
        for n, shp in (('qkv', (VH, 3 * VH)), ('proj', (VH, VH)), ('fc1', (VH, VI)), ('fc2', (VI, VH))):
            w[p + n] = W.normal(p + n + '.weight', shp, 1.0 / math.sqrt(shp[0]) if n != 'proj' else s)
            w[p + n + '.b'] = W.normal(p + n + '.bias', (shp[1],), 0.01)
        for n in ('norm1', 'norm2'):
            w[p + n + '.g'] = W.ones_jitter(p + n + '.weight', VH)
            w[p + n + '.b'] = W.normal(p + n + '.bias', (VH,), 0.01)
    return w


def vision_norm(g, d, x, w, key, wname, path):
    if d['rms_norm_vision']:
        return base.rmsnorm(g, x, w[key + '.g'], wname + '.weight', d['ln_eps'], path)
    return g.op('LayerNormalization', [x, g.init(wname + '.weight', w[key + '.g']), g.init(wname + '.bias', w[key + '.b'])],
                name=f'{path}/LayerNormalization', axis=-1, epsilon=d['ln_eps'])


def rotary_tables(g, d, grid):
    """cos, sin [1, patches, head_dim] of Qwen2-VL's vision rotary embedding, from the first row of the grid."""
    r = '/visual/rot_pos_emb'
    hd = d['VH'] // d['VNH']
    row = g.op('Gather', [grid, g.i64(0)], name=f'{r}/Gather_row', axis=0)
    t, h, w = (g.op('Gather', [row, g.i64(i)], name=f'{r}/Gather_{n}', axis=0) for i, n in enumerate('thw'))
    as1 = lambda v, n: g.op('Unsqueeze', [v, g.i64([0])], name=f'{r}/Unsqueeze_{n}')
    hw = g.op('Concat', [as1(h, 'h'), as1(w, 'w')], name=f'{r}/Concat_hw', axis=0)
    blocks = g.op('Concat', [as1(g.op('Div', [h, g.i64(MERGE)], name=f'{r}/Div_h'), 'bh'), g.i64([MERGE]),
                             as1(g.op('Div', [w, g.i64(MERGE)], name=f'{r}/Div_w'), 'bw'), g.i64([MERGE])],
                  name=f'{r}/Concat_blocks', axis=0)

    def merge_order(index, axis, n):  # [h, w] grid of row or column numbers, read in merge-block order
        full = g.op('Expand', [g.op('Unsqueeze', [index, g.i64([axis])], name=f'{r}/Unsqueeze_{n}_grid'), hw],
                    name=f'{r}/Expand_{n}')
        blk = g.op('Transpose', [g.op('Reshape', [full, blocks], name=f'{r}/Reshape_{n}')], name=f'{r}/Transpose_{n}',
                   perm=[0, 2, 1, 3])
        flat = g.op('Reshape', [blk, g.i64([-1])], name=f'{r}/Flatten_{n}')
        return g.op('Tile', [flat, as1(t, f't_{n}')], name=f'{r}/Tile_{n}')

    rows = merge_order(g.op('Range', [g.i64(0), h, g.i64(1)], name=f'{r}/Range_h'), 1, 'h')
    cols = merge_order(g.op('Range', [g.i64(0), w, g.i64(1)], name=f'{r}/Range_w'), 0, 'w')
    dim = hd // 2
    inv_freq = (1.0 / (10000.0 ** (np.arange(0, dim, 2, dtype=np.float64) / dim))).astype(np.float32)
    freqs = []
    for pos, n in ((rows, 'h'), (cols, 'w')):
        p = g.op('Unsqueeze', [g.op('Cast', [pos], name=f'{r}/Cast_{n}', to=FL), g.i64([-1])], name=f'{r}/Unsqueeze_{n}_f')
        freqs.append(g.op('Mul', [p, g.init(f'visual.rotary_pos_emb.inv_freq_{n}', inv_freq)], name=f'{r}/Mul_{n}'))
    half = g.op('Concat', freqs, name=f'{r}/Concat_freqs', axis=-1)
    emb = g.op('Unsqueeze', [g.op('Concat', [half, half], name=f'{r}/Concat_emb', axis=-1), g.i64([0])],
               name=f'{r}/Unsqueeze_emb')
    return g.op('Cos', [emb], name=f'{r}/Cos'), g.op('Sin', [emb], name=f'{r}/Sin')


def build_vision(w, d, mode):
    g = base.G(mode)
    VH, NHd = d['VH'], d['VNH']
    hd = VH // NHd
    pd = 3 * TEMPORAL * d['P'] * d['P']
    g.input('pixel_values', FL, ['num_patches', pd])
    g.input(d['grid_name'], I64, ['num_images', 3])
    g.output('image_features', FL, ['num_merged_patches', d['H']])
    cos, sin = rotary_tables(g, d, d['grid_name'])
    x = g.op('MatMul', ['pixel_values', g.init('visual.patch_embed.proj.weight', w['patch'])],
             name='/visual/patch_embed/MatMul')
    scale = g.f32(1.0 / math.sqrt(hd))
    for i in range(d['VL']):
        p = f'visual.blocks.{i}.'
        path = f'/visual/blocks.{i}'
        h = vision_norm(g, d, x, w, p + 'norm1', p + 'norm1', f'{path}/norm1')
        qkv = g.linear(h, w[p + 'qkv'], f'{path}/attn/qkv', bias=w[p + 'qkv.b'])
        qkv = g.op('Transpose', [g.op('Reshape', [qkv, g.i64([-1, 3, NHd, hd])], name=f'{path}/attn/Reshape')],
                   name=f'{path}/attn/Transpose', perm=[1, 2, 0, 3])                      # [3, heads, N, hd]
        q, k, v = (g.op('Gather', [qkv, g.i64(j)], name=f'{path}/attn/Gather_{n}', axis=0) for j, n in enumerate('qkv'))
        q = base.rope(g, q, cos, sin, hd, f'{path}/attn/rope_q')
        k = base.rope(g, k, cos, sin, hd, f'{path}/attn/rope_k')
        kt = g.op('Transpose', [k], name=f'{path}/attn/Transpose_k', perm=[0, 2, 1])
        ctx = base.attention(g, q, kt, v, scale, g.f32(0.0), f'{path}/attn')
        ctx = g.op('Reshape', [g.op('Transpose', [ctx], name=f'{path}/attn/Transpose_ctx', perm=[1, 0, 2]),
                               g.i64([-1, VH])], name=f'{path}/attn/Reshape_ctx')
        x = g.op('Add', [x, g.linear(ctx, w[p + 'proj'], f'{path}/attn/proj', bias=w[p + 'proj.b'])], name=f'{path}/Add')
        h = vision_norm(g, d, x, w, p + 'norm2', p + 'norm2', f'{path}/norm2')
        f1 = g.linear(h, w[p + 'fc1'], f'{path}/mlp/fc1', bias=w[p + 'fc1.b'])
        act = g.op('Mul', [f1, g.op('Sigmoid', [g.op('Mul', [f1, g.f32(1.702)], name=f'{path}/mlp/act/Mul')],
                                    name=f'{path}/mlp/act/Sigmoid')], name=f'{path}/mlp/act/Mul_1')
        x = g.op('Add', [x, g.linear(act, w[p + 'fc2'], f'{path}/mlp/fc2', bias=w[p + 'fc2.b'])], name=f'{path}/Add_1')
    m = '/visual/merger'
    x = vision_norm(g, d, x, w, 'merger.ln', 'visual.merger.ln_q', f'{m}/ln_q')
    x = g.op('Reshape', [x, g.i64([-1, 4 * VH])], name=f'{m}/Reshape')
    x = g.linear(x, w['merger.fc1'], f'{m}/mlp.0', bias=w['merger.fc1.b'])
    erf = g.op('Erf', [g.op('Div', [x, g.f32(math.sqrt(2.0))], name=f'{m}/gelu/Div')], name=f'{m}/gelu/Erf')
    x = g.op('Mul', [g.op('Mul', [x, g.f32(0.5)], name=f'{m}/gelu/Mul'),
                     g.op('Add', [erf, g.f32(1.0)], name=f'{m}/gelu/Add')], name=f'{m}/gelu/Mul_1')
    g.linear(x, w['merger.fc2'], f'{m}/mlp.2', bias=w['merger.fc2.b'], out='image_features')
    return g.model('vision_encoder')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True)
    ap.add_argument('--size', choices=sorted(SIZES), required=True)
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--modes', default='fp32,int8,q4')
    args = ap.parse_args()
    t0 = time.time()
    od = os.path.join(args.out, 'onnx')
    os.makedirs(od, exist_ok=True)
    d = write_configs(args.out, args.size)
    W = base.Weights(args.seed)
    suffix = {'fp32': '', 'int8': '_int8', 'q4': '_q4'}
    modes = args.modes.split(',')
    sizes = {}

    def save(model, name):
        path = os.path.join(od, name)
        sizes[name] = base.save(model, path, False)
        print(f'  {name}: {sizes[name]:,} B  ({time.time() - t0:.0f}s)', flush=True)

    vw = make_vision_weights(W, d)
    for mode in modes:
        save(build_vision(vw, d, mode), f'vision_encoder{suffix[mode]}.onnx')
    del vw
    tw = base.make_text_weights(W, d)
    for mode in modes:
        save(base.build_embed(tw, d, 'fp32' if mode == 'q4' else mode), f'embed_tokens{suffix[mode]}.onnx')
        save(base.build_decoder(tw, d, mode), f'decoder_model_merged{suffix[mode]}.onnx')
    if 'q4' in modes and 'fp32' not in modes:  # transformers.js's q4 preset reads the fp32 embedding: the same graph
        os.link(os.path.join(od, 'embed_tokens_q4.onnx'), os.path.join(od, 'embed_tokens.onnx'))
    print(json.dumps({'out': args.out, 'seed': args.seed, 'bytes': sizes, 'seconds': round(time.time() - t0, 1)}))


if __name__ == '__main__':
    main()
