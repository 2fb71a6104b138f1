"""ONNX graphs and tokenizers in the layouts transformers.js runs for CLIP and SigLIP, from a dict of weights.

One module serves the random-weight test fixtures (model-assets/tiny-clip/build.py) and the trained demo CLIP
(model-assets/demo-clip/train.py): the torch model in train.py computes exactly what these graphs compute.

Layout written by write_folder (as the Xenova / onnx-community exports):
    config.json preprocessor_config.json tokenizer.json tokenizer_config.json special_tokens_map.json
    onnx/text_model{,_quantized}.onnx    CLIP: input_ids, attention_mask -> text_embeds   (not normalized)
                                         SigLIP: input_ids              -> pooler_output
    onnx/vision_model{,_quantized}.onnx  pixel_values -> image_embeds (CLIP) | pooler_output (SigLIP)
    onnx/model{,_quantized}.onnx         input_ids, pixel_values (, attention_mask for CLIP)
                                         -> logits_per_image, logits_per_text, text_embeds, image_embeds
                                            (embeddings L2-normalized, logits = exp(logit_scale) * cos (+ logit_bias))

The graphs (pre-LN transformer encoders):
    vision: optional stem of strided Conv + gelu layers (the demo's), Conv patch embedding (no bias); CLIP: class token + positions, pre-LayerNorm, blocks, class token,
            post-LayerNorm, bias-free projection; SigLIP: positions, blocks, post-LayerNorm, mean over patches,
            head Linear with bias.
    text:   token + position embeddings, blocks (CLIP: causal + padding mask; SigLIP: bidirectional, no mask),
            final LayerNorm; CLIP: the first end-of-text token, bias-free projection; SigLIP: the last token,
            head Linear with bias.
    block:  x + attn(LN(x)); x + MLP(LN(x)); heads of 16; MLP fc1 -> quick_gelu (CLIP) | gelu (SigLIP) -> fc2.
q8 ("_quantized") quantizes every Linear as ORT's dynamic quantizer does (uint8 weights, DynamicQuantizeLinear on
the activation, MatMulInteger); convolutions and embeddings stay fp32.
"""
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, 'scripts', 'bench'))
sys.path.insert(0, os.path.join(REPO, 'model-assets', 'demo'))
from make_perf_model import G  # noqa: E402  (graph builder and ORT-style quantizers)
from bpe import byte_to_unicode  # noqa: E402

FL, I64 = TensorProto.FLOAT, TensorProto.INT64
MASKED = -1e9
MODES = {'fp32': '', 'q8': '_quantized'}
HEAD_DIM = 16


# ------------------------------------------------------------------------------------------------------------
# Weights
# ------------------------------------------------------------------------------------------------------------
def weight_shapes(d):
    """Every weight's name and shape: the names are those of train.py's state dict."""
    s = {}
    VH, TH, E = d['vision_hidden'], d['text_hidden'], d['embed_dim']
    P, NP = d['patch'], grid(d) ** 2
    channels = 3
    for i, (out, kernel) in enumerate(d.get('stem', [])):
        s[f'vision.stem.{i}.w'] = (out, channels, kernel, kernel)
        s[f'vision.stem.{i}.b'] = (out,)
        channels = out
    s['vision.patch'] = (VH, channels, P, P)
    s['vision.pos'] = (NP + (1 if d['kind'] == 'clip' else 0), VH)
    if d['kind'] == 'clip':
        s['vision.cls'] = (VH,)
        s['vision.pre_ln.g'] = (VH,)
        s['vision.pre_ln.b'] = (VH,)
    s['vision.post_ln.g'] = (VH,)
    s['vision.post_ln.b'] = (VH,)
    s['vision.proj'] = (VH, E)
    if d['kind'] == 'siglip':
        s['vision.proj.b'] = (E,)
    s['text.tokens'] = (d['vocab'], TH)
    s['text.pos'] = (d['max_positions'], TH)
    s['text.final_ln.g'] = (TH,)
    s['text.final_ln.b'] = (TH,)
    s['text.proj'] = (TH, E)
    if d['kind'] == 'siglip':
        s['text.proj.b'] = (E,)
    for tower, H, I, L in (('vision', VH, d['vision_mlp'], d['vision_layers']),
                           ('text', TH, d['text_mlp'], d['text_layers'])):
        for i in range(L):
            p = f'{tower}.layers.{i}.'
            for n, shp in (('q', (H, H)), ('k', (H, H)), ('v', (H, H)), ('o', (H, H)), ('fc1', (H, I)),
                           ('fc2', (I, H))):
                s[p + n] = shp
                s[p + n + '.b'] = (shp[1],)
            for n in ('ln1', 'ln2'):
                s[p + n + '.g'] = (H,)
                s[p + n + '.b'] = (H,)
    s['logit_scale'] = ()
    if d['kind'] == 'siglip':
        s['logit_bias'] = ()
    return s


def grid(d):
    """Tokens per side of the vision tower: the picture over the strides of the stem and the patch convolution."""
    stride = d['patch']
    for _, kernel in d.get('stem', []):
        stride *= kernel
    return d['image_size'] // stride


def random_weights(d, seed):
    """Seeded random weights of the right scale (LayerNorm gains near 1)."""
    rng = np.random.default_rng(seed)
    w = {}
    for name, shape in weight_shapes(d).items():
        if name.endswith('.g'):
            w[name] = (1 + 0.05 * rng.standard_normal(shape)).astype(np.float32)
        elif name == 'logit_scale':
            w[name] = np.float32(math.log(1 / 0.07))
        elif name == 'logit_bias':
            w[name] = np.float32(-10.0 if d['kind'] == 'siglip' else 0.0)
        else:
            fan_in = shape[0] if len(shape) == 2 and not name.endswith(('tokens', 'pos')) else 1
            std = 1 / math.sqrt(fan_in) if fan_in > 1 else 0.1
            if len(shape) == 4:
                std = 1 / math.sqrt(shape[1] * shape[2] * shape[3])
            w[name] = (std * rng.standard_normal(shape)).astype(np.float32)
    return w


# ------------------------------------------------------------------------------------------------------------
# Graph pieces
# ------------------------------------------------------------------------------------------------------------
def layer_norm(g, x, w, key, path, eps):
    return g.op('LayerNormalization', [x, g.init(path + '.weight', w[key + '.g']), g.init(path + '.bias', w[key + '.b'])],
                name=path + '/LayerNorm', axis=-1, epsilon=eps)


def split_heads(g, x, heads, path):
    x = g.op('Reshape', [x, g.i64([0, 0, heads, HEAD_DIM])], name=path + '/Reshape')
    return g.op('Transpose', [x], name=path + '/Transpose', perm=[0, 2, 1, 3])


def block(g, x, w, p, path, d, hidden, mask, activation):
    heads = hidden // HEAD_DIM
    h = layer_norm(g, x, w, p + 'ln1', path + '/layer_norm1', d['ln_eps'])
    q = split_heads(g, g.linear(h, w[p + 'q'], path + '/self_attn/q_proj', bias=w[p + 'q.b']), heads, path + '/q')
    k = split_heads(g, g.linear(h, w[p + 'k'], path + '/self_attn/k_proj', bias=w[p + 'k.b']), heads, path + '/k')
    v = split_heads(g, g.linear(h, w[p + 'v'], path + '/self_attn/v_proj', bias=w[p + 'v.b']), heads, path + '/v')
    kt = g.op('Transpose', [k], name=path + '/k/Transpose_T', perm=[0, 1, 3, 2])
    scores = g.op('MatMul', [q, kt], name=path + '/self_attn/MatMul')
    scores = g.op('Mul', [scores, g.f32(1 / math.sqrt(HEAD_DIM))], name=path + '/self_attn/Mul')
    if mask is not None:
        scores = g.op('Add', [scores, mask], name=path + '/self_attn/Add')
    probs = g.op('Softmax', [scores], name=path + '/self_attn/Softmax', axis=-1)
    att = g.op('MatMul', [probs, v], name=path + '/self_attn/MatMul_1')
    att = g.op('Transpose', [att], name=path + '/self_attn/Transpose_out', perm=[0, 2, 1, 3])
    att = g.op('Reshape', [att, g.i64([0, 0, hidden])], name=path + '/self_attn/Reshape_out')
    att = g.linear(att, w[p + 'o'], path + '/self_attn/out_proj', bias=w[p + 'o.b'])
    x = g.op('Add', [x, att], name=path + '/Add')
    h = layer_norm(g, x, w, p + 'ln2', path + '/layer_norm2', d['ln_eps'])
    h = g.linear(h, w[p + 'fc1'], path + '/mlp/fc1', bias=w[p + 'fc1.b'])
    h = activate(g, h, activation, path + '/mlp/act')
    h = g.linear(h, w[p + 'fc2'], path + '/mlp/fc2', bias=w[p + 'fc2.b'])
    return g.op('Add', [x, h], name=path + '/Add_1')


def activate(g, x, activation, path):
    """quick_gelu x·sigmoid(1.702x), or gelu 0.5x(1 + erf(x/√2))."""
    if activation == 'quick_gelu':
        return g.op('Mul', [x, g.op('Sigmoid', [g.op('Mul', [x, g.f32(1.702)], name=path + '/Mul')],
                                    name=path + '/Sigmoid')], name=path + '/Mul_1')
    erf = g.op('Erf', [g.op('Div', [x, g.f32(math.sqrt(2))], name=path + '/Div')], name=path + '/Erf')
    return g.op('Mul', [g.op('Mul', [x, g.f32(0.5)], name=path + '/Mul'),
                        g.op('Add', [erf, g.f32(1.0)], name=path + '/Add')], name=path + '/Mul_1')


def activation(d):
    return 'quick_gelu' if d['kind'] == 'clip' else 'gelu'


def vision_tower(g, w, d):
    """pixel_values [B,3,S,S] -> the pooled, projected image embedding [B,E] (not normalized)."""
    VH, P = d['vision_hidden'], d['patch']
    x = 'pixel_values'
    for i, (_, kernel) in enumerate(d.get('stem', [])):
        x = g.op('Conv', [x, g.init(f'vision_model.stem.{i}.weight', w[f'vision.stem.{i}.w']),
                          g.init(f'vision_model.stem.{i}.bias', w[f'vision.stem.{i}.b'])],
                 name=f'/vision_model/stem.{i}/Conv', kernel_shape=[kernel, kernel], strides=[kernel, kernel])
        x = activate(g, x, 'gelu', f'/vision_model/stem.{i}/act')
    x = g.op('Conv', [x, g.init('vision_model.patch_embedding.weight', w['vision.patch'])],
             name='/vision_model/embeddings/patch_embedding/Conv', kernel_shape=[P, P], strides=[P, P])
    x = g.op('Reshape', [x, g.i64([0, VH, -1])], name='/vision_model/embeddings/Reshape')
    x = g.op('Transpose', [x], name='/vision_model/embeddings/Transpose', perm=[0, 2, 1])
    if d['kind'] == 'clip':
        batch = g.op('Slice', [g.op('Shape', [x], name='/vision_model/Shape'), g.i64([0]), g.i64([1])],
                     name='/vision_model/Slice_batch')
        cls_shape = g.op('Concat', [batch, g.i64([1, VH])], name='/vision_model/Concat_cls_shape', axis=0)
        cls = g.op('Expand', [g.init('vision_model.class_embedding', w['vision.cls'].reshape(1, 1, VH)), cls_shape],
                   name='/vision_model/embeddings/Expand')
        x = g.op('Concat', [cls, x], name='/vision_model/embeddings/Concat', axis=1)
    x = g.op('Add', [x, g.init('vision_model.position_embedding.weight', w['vision.pos'])],
             name='/vision_model/embeddings/Add')
    if d['kind'] == 'clip':
        x = layer_norm(g, x, w, 'vision.pre_ln', '/vision_model/pre_layrnorm', d['ln_eps'])
    for i in range(d['vision_layers']):
        x = block(g, x, w, f'vision.layers.{i}.', f'/vision_model/encoder/layers.{i}', d, VH, None, activation(d))
    if d['kind'] == 'clip':
        x = g.op('Gather', [x, g.i64(0)], name='/vision_model/Gather_cls', axis=1)
        x = layer_norm(g, x, w, 'vision.post_ln', '/vision_model/post_layernorm', d['ln_eps'])
        return g.linear(x, w['vision.proj'], '/visual_projection')
    x = layer_norm(g, x, w, 'vision.post_ln', '/vision_model/post_layernorm', d['ln_eps'])
    x = g.op('ReduceMean', [x], name='/vision_model/head/ReduceMean', axes=[1], keepdims=0)
    return g.linear(x, w['vision.proj'], '/vision_model/head', bias=w['vision.proj.b'])


def text_tower(g, w, d):
    """input_ids [B,T] (and attention_mask for CLIP) -> the pooled, projected text embedding [B,E]."""
    TH, T = d['text_hidden'], d['max_positions']
    x = g.op('Gather', [g.init('text_model.token_embedding.weight', w['text.tokens']), 'input_ids'],
             name='/text_model/embeddings/token_embedding/Gather', axis=0)
    seq = g.op('Slice', [g.op('Shape', ['input_ids'], name='/text_model/Shape'), g.i64([1]), g.i64([2])],
               name='/text_model/Slice_seq')
    pos = g.op('Slice', [g.init('text_model.position_embedding.weight', w['text.pos']), g.i64([0]), seq],
               name='/text_model/embeddings/Slice_pos')
    x = g.op('Add', [x, pos], name='/text_model/embeddings/Add')
    mask = None
    if d['kind'] == 'clip':
        causal = np.triu(np.full((T, T), MASKED, np.float32), 1)
        causal = g.op('Slice', [g.init('text_model.causal_mask', causal), g.i64([0, 0]),
                                g.op('Concat', [seq, seq], name='/text_model/Concat_seq', axis=0)],
                      name='/text_model/Slice_causal')
        padding = g.op('Cast', ['attention_mask'], name='/text_model/Cast_mask', to=FL)
        padding = g.op('Mul', [g.op('Sub', [g.f32(1.0), padding], name='/text_model/Sub_mask'), g.f32(MASKED)],
                       name='/text_model/Mul_mask')
        padding = g.op('Unsqueeze', [padding, g.i64([1, 2])], name='/text_model/Unsqueeze_mask')
        mask = g.op('Add', [causal, padding], name='/text_model/Add_mask')
    for i in range(d['text_layers']):
        x = block(g, x, w, f'text.layers.{i}.', f'/text_model/encoder/layers.{i}', d, TH, mask, activation(d))
    x = layer_norm(g, x, w, 'text.final_ln', '/text_model/final_layer_norm', d['ln_eps'])
    if d['kind'] == 'clip':
        is_eos = g.op('Cast', [g.op('Equal', ['input_ids', g.i64(d['eos_id'])], name='/text_model/Equal_eos')],
                      name='/text_model/Cast_eos', to=TensorProto.INT32)
        where = g.op('ArgMax', [is_eos], name='/text_model/ArgMax', axis=1, keepdims=1)
        x = g.op('GatherND', [x, where], name='/text_model/GatherND', batch_dims=1)
        return g.linear(x, w['text.proj'], '/text_projection')
    x = g.op('Gather', [x, g.i64(-1)], name='/text_model/Gather_last', axis=1)
    return g.linear(x, w['text.proj'], '/text_model/head', bias=w['text.proj.b'])


def text_inputs(g, d):
    g.input('input_ids', I64, ['batch_size', 'sequence_length'])
    if d['kind'] == 'clip':
        g.input('attention_mask', I64, ['batch_size', 'sequence_length'])


def pixel_input(g, d):
    g.input('pixel_values', FL, ['batch_size', 3, d['image_size'], d['image_size']])


def embedding_name(d, modality):
    return f'{modality}_embeds' if d['kind'] == 'clip' else 'pooler_output'


def build_text(w, d, mode):
    g = G(mode)
    text_inputs(g, d)
    g.output(embedding_name(d, 'text'), FL, ['batch_size', d['embed_dim']])
    out = text_tower(g, w, d)
    g.op('Identity', [out], name='/text_output', outputs=[embedding_name(d, 'text')])
    return g.model('text_model')


def build_vision(w, d, mode):
    g = G(mode)
    pixel_input(g, d)
    g.output(embedding_name(d, 'image'), FL, ['batch_size', d['embed_dim']])
    out = vision_tower(g, w, d)
    g.op('Identity', [out], name='/vision_output', outputs=[embedding_name(d, 'image')])
    return g.model('vision_model')


def build_combined(w, d, mode):
    g = G(mode)
    g.input('input_ids', I64, ['text_batch_size', 'sequence_length'])
    pixel_input(g, d)
    if d['kind'] == 'clip':
        g.input('attention_mask', I64, ['text_batch_size', 'sequence_length'])
    for name, dims in (('logits_per_image', ['image_batch_size', 'text_batch_size']),
                       ('logits_per_text', ['text_batch_size', 'image_batch_size']),
                       ('text_embeds', ['text_batch_size', d['embed_dim']]),
                       ('image_embeds', ['image_batch_size', d['embed_dim']])):
        g.output(name, FL, dims)
    normalized = {}
    for name, tower in (('text_embeds', text_tower), ('image_embeds', vision_tower)):
        raw = tower(g, w, d)
        norm = g.op('ReduceL2', [raw], name=f'/{name}/ReduceL2', axes=[-1], keepdims=1)
        normalized[name] = g.op('Div', [raw, norm], name=f'/{name}/Div', outputs=[name])
    image_t = g.op('Transpose', ['image_embeds'], name='/Transpose_image', perm=[1, 0])
    logits = g.op('MatMul', ['text_embeds', image_t], name='/MatMul_logits')
    scale = g.op('Exp', [g.init('logit_scale', np.asarray(w['logit_scale'], np.float32))], name='/Exp_scale')
    logits = g.op('Mul', [logits, scale], name='/Mul_scale')
    if d['kind'] == 'siglip':
        logits = g.op('Add', [logits, g.init('logit_bias', np.asarray(w['logit_bias'], np.float32))], name='/Add_bias')
    g.op('Identity', [logits], name='/logits_per_text', outputs=['logits_per_text'])
    g.op('Transpose', [logits], name='/logits_per_image', perm=[1, 0], outputs=['logits_per_image'])
    return g.model('model')


# ------------------------------------------------------------------------------------------------------------
# Tokenizers
# ------------------------------------------------------------------------------------------------------------
CLIP_SPLIT = (r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+")
PUNCTUATION = r"[!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"


def clip_tokenizer(words):
    """CLIP's tokenizer.json shape (lowercasing byte-level BPE with </w> word ends) with merges that make each of
    `words` one token; every other word is spelled from its bytes. Returns (tokenizer dict, eos id, bos id)."""
    chars = list(byte_to_unicode().values())
    vocab = {}
    for c in chars:
        vocab[c] = len(vocab)
    for c in chars:
        vocab[c + '</w>'] = len(vocab)
    merges = []
    for word in words:
        pieces = list(word[:-1]) + [word[-1] + '</w>']
        while len(pieces) > 1:
            merged = pieces[0] + pieces[1]
            if (pieces[0], pieces[1]) not in {tuple(m.split(' ')) for m in merges}:
                merges.append(pieces[0] + ' ' + pieces[1])
                vocab.setdefault(merged, len(vocab))
            pieces = [merged] + pieces[2:]
    bos, eos = len(vocab), len(vocab) + 1
    special = dict(single_word=False, lstrip=False, rstrip=False, normalized=True, special=True)
    tokenizer = {
        'version': '1.0', 'truncation': None, 'padding': None,
        'added_tokens': [dict(id=bos, content='<|startoftext|>', **special),
                         dict(id=eos, content='<|endoftext|>', **special)],
        'normalizer': {'type': 'Sequence', 'normalizers': [
            {'type': 'NFC'}, {'type': 'Replace', 'pattern': {'Regex': r'\s+'}, 'content': ' '}, {'type': 'Lowercase'}]},
        'pre_tokenizer': {'type': 'Sequence', 'pretokenizers': [
            {'type': 'Split', 'pattern': {'Regex': CLIP_SPLIT}, 'behavior': 'Removed', 'invert': True},
            {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': False}]},
        'post_processor': {'type': 'RobertaProcessing', 'sep': ['<|endoftext|>', eos], 'cls': ['<|startoftext|>', bos],
                           'trim_offsets': False, 'add_prefix_space': False},
        'decoder': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': True, 'use_regex': True},
        'model': {'type': 'BPE', 'dropout': None, 'unk_token': '<|endoftext|>', 'continuing_subword_prefix': '',
                  'end_of_word_suffix': '</w>', 'fuse_unk': False, 'byte_fallback': False,
                  'vocab': {**vocab, '<|startoftext|>': bos, '<|endoftext|>': eos}, 'merges': merges},
    }
    config = {'model_max_length': 77, 'bos_token': '<|startoftext|>', 'eos_token': '<|endoftext|>',
              'pad_token': '<|endoftext|>', 'unk_token': '<|endoftext|>', 'do_lower_case': True,
              'tokenizer_class': 'CLIPTokenizer'}
    return tokenizer, config, eos, len(vocab) + 2


def siglip_tokenizer(words):
    """SigLIP's tokenizer.json shape (punctuation-stripping, lowercasing SentencePiece Unigram, </s> appended,
    padded with </s>), with `words` as whole pieces and single letters and digits for the rest."""
    pieces = [('<pad>', 0.0), ('</s>', 0.0), ('<unk>', 0.0), ('\u2581', -3.0)]
    pieces += [(c, -8.0) for c in 'abcdefghijklmnopqrstuvwxyz0123456789']
    pieces += [('\u2581' + c, -7.5) for c in 'abcdefghijklmnopqrstuvwxyz']
    pieces += [('\u2581' + word, -4.0 - 0.01 * i) for i, word in enumerate(words)]
    special = dict(single_word=False, lstrip=False, rstrip=False, normalized=False, special=True)
    tokenizer = {
        'version': '1.0', 'truncation': None, 'padding': None,
        'added_tokens': [dict(id=0, content='<pad>', **special), dict(id=1, content='</s>', **special),
                         dict(id=2, content='<unk>', **special)],
        'normalizer': {'type': 'Sequence', 'normalizers': [
            {'type': 'Replace', 'pattern': {'Regex': PUNCTUATION}, 'content': ''}, {'type': 'Lowercase'},
            {'type': 'Replace', 'pattern': {'Regex': ' +'}, 'content': ' '},
            {'type': 'Strip', 'strip_left': True, 'strip_right': True}]},
        'pre_tokenizer': {'type': 'Metaspace', 'replacement': '\u2581', 'prepend_scheme': 'always', 'split': True},
        'post_processor': {'type': 'TemplateProcessing',
                           'single': [{'Sequence': {'id': 'A', 'type_id': 0}}, {'SpecialToken': {'id': '</s>', 'type_id': 0}}],
                           'pair': [{'Sequence': {'id': 'A', 'type_id': 0}}, {'SpecialToken': {'id': '</s>', 'type_id': 0}},
                                    {'Sequence': {'id': 'B', 'type_id': 0}}, {'SpecialToken': {'id': '</s>', 'type_id': 0}}],
                           'special_tokens': {'</s>': {'id': '</s>', 'ids': [1], 'tokens': ['</s>']}}},
        'decoder': {'type': 'Metaspace', 'replacement': '\u2581', 'prepend_scheme': 'always', 'split': True},
        'model': {'type': 'Unigram', 'unk_id': 2, 'vocab': [list(p) for p in pieces], 'byte_fallback': False},
    }
    config = {'model_max_length': 64, 'eos_token': '</s>', 'pad_token': '</s>', 'unk_token': '<unk>',
              'do_lower_case': True, 'tokenizer_class': 'SiglipTokenizer'}
    return tokenizer, config, 1, len(pieces)


# ------------------------------------------------------------------------------------------------------------
# Folder
# ------------------------------------------------------------------------------------------------------------
CLIP_MEAN, CLIP_STD = [0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711]


def configs(d):
    """config.json and preprocessor_config.json as the published exports write them."""
    text = dict(hidden_size=d['text_hidden'], num_hidden_layers=d['text_layers'],
                num_attention_heads=d['text_hidden'] // HEAD_DIM, intermediate_size=d['text_mlp'],
                vocab_size=d['vocab'], max_position_embeddings=d['max_positions'], layer_norm_eps=d['ln_eps'])
    vision = dict(hidden_size=d['vision_hidden'], num_hidden_layers=d['vision_layers'],
                  num_attention_heads=d['vision_hidden'] // HEAD_DIM, intermediate_size=d['vision_mlp'],
                  image_size=d['image_size'], patch_size=d['patch'], layer_norm_eps=d['ln_eps'])
    S = d['image_size']
    if d['kind'] == 'clip':
        text.update(eos_token_id=d['eos_id'], hidden_act='quick_gelu')
        vision['hidden_act'] = 'quick_gelu'
        config = dict(architectures=['CLIPModel'], model_type='clip', projection_dim=d['embed_dim'],
                      logit_scale_init_value=2.6592, text_config=text, vision_config=vision)
        pre = dict(crop_size=dict(height=S, width=S), do_center_crop=True, do_convert_rgb=True, do_normalize=True,
                   do_rescale=True, do_resize=True, feature_extractor_type='CLIPFeatureExtractor',
                   image_mean=CLIP_MEAN, image_processor_type='CLIPImageProcessor', image_std=CLIP_STD, resample=3,
                   rescale_factor=1 / 255, size=dict(shortest_edge=S))
    else:
        config = dict(architectures=['SiglipModel'], model_type='siglip', text_config=text, vision_config=vision)
        pre = dict(do_normalize=True, do_rescale=True, do_resize=True, image_mean=[0.5, 0.5, 0.5],
                   image_processor_type='SiglipImageProcessor', image_std=[0.5, 0.5, 0.5], processor_class='SiglipProcessor',
                   resample=3, rescale_factor=1 / 255, size=dict(height=S, width=S))
    return config, pre


def write_folder(out, w, d, tokenizer, tokenizer_config, modes=('fp32', 'q8'), extra=None,
                 graphs=('text_model', 'vision_model', 'model')):
    """Writes a model folder in the published layout; `extra` maps more file names to JSON objects, `graphs` says
    which of the three graphs to write."""
    os.makedirs(os.path.join(out, 'onnx'), exist_ok=True)
    config, pre = configs(d)
    special_map = {k: v for k, v in tokenizer_config.items() if k.endswith('_token')}
    files = {'config.json': config, 'preprocessor_config.json': pre, 'tokenizer.json': tokenizer,
             'tokenizer_config.json': tokenizer_config, 'special_tokens_map.json': special_map, **(extra or {})}
    for name, content in files.items():
        with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
            json.dump(content, f, indent=2, ensure_ascii=False)
            f.write('\n')
    for mode in modes:
        for stem, build in (('text_model', build_text), ('vision_model', build_vision), ('model', build_combined)):
            if stem not in graphs:
                continue
            model = build(w, d, mode)
            onnx.checker.check_model(model)
            onnx.save(model, os.path.join(out, 'onnx', stem + MODES[mode] + '.onnx'))
