#!/usr/bin/python3
"""Trains the bundled demo CLIP (model-assets/glance-demo-clip/) on the demo's synthetic shape scenes, from nothing.

World: the scenes of model-assets/demo/scenes.py (1-4 circles, squares and triangles in 8 colours on plain or
textured backgrounds, 160x120 .. 1920x1080). Texts: descriptions of the whole scene in any order, of one or two of
its objects, of a colour or a shape alone, bare or in the templates "a photo of ...", "This is a photo of ..."
(the zero-shot default). A text matches every picture that holds all the objects it names, so the contrastive loss
has several positives per row (soft targets) instead of CLIP's one. With --near-misses, half the batch's scenes also
get a near miss (their description with one object's shape changed) competing as a text.

Model (computed exactly as model-assets/clip/clip_graphs.py writes the graphs; model_type clip):
    vision  128x128 squashed picture -> Conv 4/4 (3->32) gelu -> Conv 2/2 (32->64) gelu -> Conv 2/2 patches (->96)
            = 8x8 tokens + class token, pre-LN, 2 blocks (6 heads, MLP 192), class token, post-LN, projection 64
    text    byte-level BPE (one token per word of the world), 77 positions, hidden 64, 2 causal blocks (4 heads,
            MLP 128), final LN, first end-of-text token, projection 64
    logit scale learned (clamped at 100), as CLIP.

Usage (Debian's python3-torch, python3-numpy, python3-pil, python3-onnx; 2 cores: about 50 minutes):
    /usr/bin/python3 model-assets/demo-clip/train.py [--steps 4000] [--scenes 24000] [--out model-assets/glance-demo-clip]
Seeded (data seed 11, torch seed 11): the same command gives the same scenes and the same training; float results
can differ in the last bits between machines. The held-out figures come from the Java engine:
model-assets/demo-clip/evaluate.sh (see README.md).
"""
import argparse
import io
import math
import multiprocessing
import os
import random
import re
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, 'model-assets', 'clip'))
sys.path.insert(0, os.path.join(REPO, 'model-assets', 'demo'))
import clip_graphs  # noqa: E402
import scenes  # noqa: E402
from model import fast_linear, gmm  # noqa: E402  (matmuls through oneDNN: Debian's torch has a slow BLAS)

SIZE = 128
WORDS = (['a', 'an', 'and', 'photo', 'of', 'this', 'is', 'something', 'shape', 'shapes'] + scenes.COLOR_NAMES
         + scenes.SHAPES + [s + 's' for s in scenes.SHAPES])
DIMS = dict(kind='clip', image_size=SIZE, patch=2, stem=[(32, 4), (64, 2)], vision_hidden=96, vision_layers=2,
            vision_mlp=192, text_hidden=64, text_layers=2, text_mlp=128, embed_dim=64, max_positions=77,
            ln_eps=1e-5)


# ------------------------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------------------------
def picture(scene, rng):
    """What the model sees: the scene rendered near twice the input size, maybe JPEG-compressed, squashed to SIZE."""
    scale = 2 * SIZE / max(scene['w'], scene['h'])
    img = scenes.render(scene, min(1.0, scale * rng.uniform(0.8, 1.6)))
    if rng.random() < 0.3:
        img = scenes.jpeg(img, rng.randint(40, 95))
    return np.asarray(img.resize((SIZE, SIZE), Image.BICUBIC), np.uint8)


def objects(scene):
    return frozenset((o['color'], o['shape']) for o in scene['objects'])


def make_chunk(args):
    seed, n = args
    rng = random.Random(seed)
    pictures, objs = [], []
    for _ in range(n):
        scene = scenes.sample_scene(rng)
        pictures.append(picture(scene, rng))
        objs.append(objects(scene))
    return np.stack(pictures), objs


def make_data(n, seed):
    chunks = [(seed * 1000 + i, n // 20) for i in range(20)]
    with multiprocessing.Pool(2) as pool:
        parts = pool.map(make_chunk, chunks)
    return np.concatenate([p for p, _ in parts]), [o for _, objs in parts for o in objs]


def phrase(color, shape):
    return f'{scenes.article(color)} {color} {shape}'


def describe(items):
    items = [phrase(c, s) for c, s in items]
    return items[0] if len(items) == 1 else ', '.join(items[:-1]) + ' and ' + items[-1]


def text_for(objs, rng):
    """A text about a scene and the (colour, shape) requirements it names: (text, colours, shapes, pairs)."""
    items = list(objs)
    rng.shuffle(items)
    kind = rng.random()
    colors, shapes, pairs = set(), set(), set()
    if kind < 0.45:
        chosen = items
    elif kind < 0.7:
        chosen = items[:rng.randint(1, min(2, len(items)))]
    else:
        chosen = None
    if chosen is not None:
        pairs = set(chosen)
        body = describe(chosen)
    elif kind < 0.85:
        color = rng.choice(items)[0]
        colors = {color}
        body = rng.choice([color, f'something {color}', f'{scenes.article(color)} {color} shape'])
    else:
        shape = rng.choice(items)[1]
        shapes = {shape}
        body = rng.choice([shape, f'a {shape}', f'{shape}s'])
    template = rng.choice(['{}', '{}', 'a photo of {}', 'This is a photo of {}', '{}.'])
    text = template.format(body)
    if rng.random() < 0.3:
        text = text[0].upper() + text[1:]
    return text, frozenset(colors), frozenset(shapes), frozenset(pairs)


def shape_swapped(objs, rng):
    """A description of the scene with one object's shape changed: a near miss that no picture of that scene
    matches, so the texts of a batch teach shapes and not only colours. None when no swap makes a new scene."""
    items = list(objs)
    rng.shuffle(items)
    color, shape = items[0]
    others = [s for s in scenes.SHAPES if s != shape and (color, s) not in objs]
    if not others:
        return None
    changed = [(color, rng.choice(others))] + items[1:]
    template = rng.choice(['{}', 'a photo of {}', 'This is a photo of {}'])
    return template.format(describe(changed)), frozenset(), frozenset(), frozenset(changed)


def matches(requirement, objs):
    colors, shapes, pairs = requirement
    return (pairs <= objs and all(any(c == color for c, _ in objs) for color in colors)
            and all(any(s == shape for _, s in objs) for shape in shapes))


# ------------------------------------------------------------------------------------------------------------
# Tokenizer (the byte-level BPE that clip_graphs.clip_tokenizer writes; words of the world are single tokens)
# ------------------------------------------------------------------------------------------------------------
class Tokenizer:
    """Byte-level BPE with </w> word ends over lowercase ASCII words and punctuation, as tokenizer.json encodes them."""

    def __init__(self, tokenizer, eos):
        self.vocab = tokenizer['model']['vocab']
        self.ranks = {tuple(m.split(' ')): i for i, m in enumerate(tokenizer['model']['merges'])}
        self.bos, self.eos = eos - 1, eos

    def word(self, word):
        pieces = list(word[:-1]) + [word[-1] + '</w>']
        while len(pieces) > 1:
            pairs = [(self.ranks.get(pair, math.inf), i) for i, pair in enumerate(zip(pieces, pieces[1:]))]
            rank, i = min(pairs)
            if rank == math.inf:
                break
            pieces[i:i + 2] = [pieces[i] + pieces[i + 1]]
        return [self.vocab[p] for p in pieces]

    def encode(self, text):
        ids = [self.bos]
        for word in re.findall(r"[a-z]+|[0-9]|[^\sa-z0-9]+", text.lower()):
            ids += self.word(word)
        return ids + [self.eos]


# ------------------------------------------------------------------------------------------------------------
# Model: the graphs' computation in torch, weights named and shaped as clip_graphs.weight_shapes
# ------------------------------------------------------------------------------------------------------------
class DemoClip(torch.nn.Module):
    def __init__(self, d, seed):
        super().__init__()
        self.d = d
        init = clip_graphs.random_weights(d, seed)
        self.w = torch.nn.ParameterDict({k.replace('.', '__'): torch.nn.Parameter(torch.tensor(v))
                                         for k, v in init.items()})

    def p(self, name):
        return self.w[name.replace('.', '__')]

    def ln(self, x, key):
        return F.layer_norm(x, x.shape[-1:], self.p(key + '.g'), self.p(key + '.b'), self.d['ln_eps'])

    def linear(self, x, key, bias=True):
        """x @ W (+ b) with W stored [K, N] as the graphs store it."""
        return fast_linear(x, self.p(key).t().contiguous(), self.p(key + '.b') if bias else None)

    def block(self, x, prefix, mask):
        B, N, H = x.shape
        heads = H // clip_graphs.HEAD_DIM
        h = self.ln(x, prefix + 'ln1')

        def heads_of(name):
            return self.linear(h, prefix + name).view(B, N, heads, -1).transpose(1, 2)
        q, k, v = heads_of('q'), heads_of('k'), heads_of('v')
        scores = gmm(q, k.transpose(-1, -2)) * (1 / math.sqrt(clip_graphs.HEAD_DIM))
        if mask is not None:
            scores = scores + mask
        att = gmm(scores.softmax(-1), v).transpose(1, 2).reshape(B, N, H)
        x = x + self.linear(att, prefix + 'o')
        h = self.linear(self.ln(x, prefix + 'ln2'), prefix + 'fc1')
        h = h * torch.sigmoid(1.702 * h)
        return x + self.linear(h, prefix + 'fc2')

    def image(self, pixels):
        x = pixels
        for i, (_, k) in enumerate(self.d['stem']):
            x = F.gelu(F.conv2d(x, self.p(f'vision.stem.{i}.w'), self.p(f'vision.stem.{i}.b'), stride=k))
        x = F.conv2d(x, self.p('vision.patch'), stride=self.d['patch']).flatten(2).transpose(1, 2)
        cls = self.p('vision.cls').view(1, 1, -1).expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], 1) + self.p('vision.pos')
        x = self.ln(x, 'vision.pre_ln')
        for i in range(self.d['vision_layers']):
            x = self.block(x, f'vision.layers.{i}.', None)
        return self.linear(self.ln(x[:, 0], 'vision.post_ln'), 'vision.proj', bias=False)

    def text(self, ids, attention):
        T = ids.shape[1]
        x = self.p('text.tokens')[ids] + self.p('text.pos')[:T]
        causal = torch.triu(torch.full((T, T), clip_graphs.MASKED), 1)
        mask = causal + ((1 - attention.float()) * clip_graphs.MASKED)[:, None, None, :]
        for i in range(self.d['text_layers']):
            x = self.block(x, f'text.layers.{i}.', mask)
        x = self.ln(x, 'text.final_ln')
        eos = (ids == self.d['eos_id']).int().argmax(1)
        return self.linear(x[torch.arange(x.shape[0]), eos], 'text.proj', bias=False)

    def numpy_weights(self):
        return {k.replace('__', '.'): v.detach().numpy().astype(np.float32) for k, v in self.w.items()}


# ------------------------------------------------------------------------------------------------------------
# Training
# ------------------------------------------------------------------------------------------------------------
MEAN = torch.tensor(clip_graphs.CLIP_MEAN).view(1, 3, 1, 1)
STD = torch.tensor(clip_graphs.CLIP_STD).view(1, 3, 1, 1)


def pixels_of(batch):
    return (torch.from_numpy(batch).permute(0, 3, 1, 2).float() / 255 - MEAN) / STD


def text_batch(tokenizer, texts):
    ids = [tokenizer.encode(t) for t in texts]
    length = max(map(len, ids))
    out = torch.full((len(ids), length), tokenizer.eos, dtype=torch.long)
    attention = torch.zeros((len(ids), length), dtype=torch.long)
    for i, row in enumerate(ids):
        out[i, :len(row)] = torch.tensor(row)
        attention[i, :len(row)] = 1
    return out, attention


PARITY_TEXTS = ['a red circle', 'This is a photo of something blue.']


def train(args):
    torch.manual_seed(11)
    torch.set_num_threads(2)
    torch.set_flush_denormal(True)
    tokenizer_json, tokenizer_config, eos, vocab = clip_graphs.clip_tokenizer(WORDS + [',', '.'])
    d = dict(DIMS, vocab=vocab, eos_id=eos)
    tokenizer = Tokenizer(tokenizer_json, eos)
    start = time.time()
    pictures, objs = make_data(args.scenes, 11)
    print(f'{len(objs)} scenes rendered in {time.time() - start:.0f} s', flush=True)
    model = DemoClip(d, 11)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.05)
    rng = random.Random(11)
    batch = args.batch
    for step in range(1, args.steps + 1):
        lr = args.lr * min(1.0, step / 100) * 0.5 * (1 + math.cos(math.pi * step / args.steps))
        for group in optimizer.param_groups:
            group['lr'] = lr
        chosen = rng.sample(range(len(objs)), batch)
        texts = [text_for(objs[i], rng) for i in chosen]
        if args.near_misses:
            texts += [t for t in (shape_swapped(objs[i], rng) for i in chosen[:batch // 2]) if t is not None]
        ids, attention = text_batch(tokenizer, [t[0] for t in texts])
        target = torch.tensor([[matches(t[1:], objs[i]) for i in chosen] for t in texts], dtype=torch.float32)
        rows = target.sum(1) > 0  # a near miss may match no picture of the batch: it only competes as a text
        images = F.normalize(model.image(pixels_of(pictures[chosen])), dim=-1)
        words = F.normalize(model.text(ids, attention), dim=-1)
        scale = model.p('logit_scale').clamp(max=math.log(100)).exp()
        logits = scale * words @ images.T
        loss = (-(target[rows] / target[rows].sum(1, keepdim=True)) * logits[rows].log_softmax(1)).sum(1).mean() / 2 \
            + (-(target.T / target.T.sum(1, keepdim=True)) * logits.T.log_softmax(1)).sum(1).mean() / 2
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 50 == 0 or step in (1, 10):
            print(f'step {step} loss {loss.item():.3f} scale {scale.item():.1f} lr {lr:.2e} '
                  f'{time.time() - start:.0f} s', flush=True)
    weights = model.numpy_weights()
    weights['logit_scale'] = np.float32(min(float(weights['logit_scale']), math.log(100)))
    clip_graphs.write_folder(args.out, weights, d, tokenizer_json, tokenizer_config, modes=('fp32',))
    print(f'wrote {args.out} in {time.time() - start:.0f} s', flush=True)
    with torch.no_grad():  # for a parity check against `glance embed --text ...`
        for text in PARITY_TEXTS:
            ids, attention = text_batch(tokenizer, [text])
            values = F.normalize(model.text(ids, attention), dim=-1)[0, :4].tolist()
            print(f'torch embedding of "{text}": ' + ' '.join(f'{v:.6f}' for v in values), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--steps', type=int, default=4000)
    parser.add_argument('--scenes', type=int, default=24000)
    parser.add_argument('--batch', type=int, default=192)
    parser.add_argument('--lr', type=float, default=2e-3)
    parser.add_argument('--near-misses', action=argparse.BooleanOptionalAction, default=False,
                        help='add shape-swapped descriptions as extra texts (tried: no gain, see README.md)')
    parser.add_argument('--out', default=os.path.join(REPO, 'model-assets', 'glance-demo-clip'))
    train(parser.parse_args())


if __name__ == '__main__':
    main()
