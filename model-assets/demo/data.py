"""Training/eval data: scene rendering -> the engine's preprocessing (longest edge -> 2T, then squash
to T x T), prompts/answers tokenized with the real SmolVLM tokenizer."""
import io
import random

import numpy as np
from PIL import Image

import scenes
from bpe import Tokenizer
from model import CFG, EOU, FAKE_TOKEN, GLOBAL_IMG, IMAGE_TOKEN

T = CFG['T']
LONG = 2 * T          # preprocessor size.longest_edge

_PIL = {'lanczos': Image.LANCZOS, 'bilinear': Image.BILINEAR, 'bicubic': Image.BICUBIC, 'box': Image.BOX,
        'nearest': Image.NEAREST}


def resize_noaa(arr, w, h, nearest=False):
    """Bilinear (or nearest) sampling without antialiasing, pixel-centre aligned: what OpenCV
    INTER_LINEAR / transformers.js' float bilinear do when downscaling."""
    H0, W0 = arr.shape[:2]
    xs = (np.arange(w) + 0.5) * (W0 / w) - 0.5
    ys = (np.arange(h) + 0.5) * (H0 / h) - 0.5
    if nearest:
        xi = np.clip(np.floor(xs + 0.5).astype(int), 0, W0 - 1)
        yi = np.clip(np.floor(ys + 0.5).astype(int), 0, H0 - 1)
        return arr[yi][:, xi]
    xs, ys = np.clip(xs, 0, W0 - 1), np.clip(ys, 0, H0 - 1)
    x0, y0 = np.floor(xs).astype(int), np.floor(ys).astype(int)
    x1, y1 = np.minimum(x0 + 1, W0 - 1), np.minimum(y0 + 1, H0 - 1)
    fx, fy = (xs - x0)[None, :, None], (ys - y0)[:, None, None]
    a = arr.astype(np.float32)
    top = a[y0][:, x0] * (1 - fx) + a[y0][:, x1] * fx
    bot = a[y1][:, x0] * (1 - fx) + a[y1][:, x1] * fx
    return np.clip(np.round(top * (1 - fy) + bot * fy), 0, 255).astype(np.uint8)


def resize(img, w, h, method):
    if method in ('noaa', 'noaa_nearest'):
        return Image.fromarray(resize_noaa(np.asarray(img), w, h, method == 'noaa_nearest'))
    return img.resize((w, h), _PIL[method])


def longest_edge_size(w, h, long=LONG):
    """HF Idefics3 resize: longest edge -> `long`, keep aspect, short side made even."""
    if w >= h:
        nw, nh = long, int(h * long / w)
    else:
        nw, nh = int(w * long / h), long
    nw += nw % 2
    nh += nh % 2
    return max(2, nw), max(2, nh)


def preprocess_reference(img):
    """The reference pipeline (HF, PIL Lanczos) used for evaluation: RGB uint8 [T,T,3]."""
    img = img.convert('RGB')
    w, h = longest_edge_size(*img.size)
    img = img.resize((w, h), Image.LANCZOS)
    return np.asarray(img.resize((T, T), Image.LANCZOS))


def make_train_image(scene, rng):
    """Render + augment + two-step resize the way an engine would.  Returns uint8 [T,T,3]."""
    W, H = scene['w'], scene['h']
    m = max(W, H)
    if m <= 640:
        s = 1.0
    else:
        s = min(1.0, LONG * rng.choice([1.0, 1.25, 1.6, 2.0]) / m)
    img = scenes.render(scene, s)
    if rng.random() < 0.5:
        img = scenes.jpeg(img, rng.randint(40, 95))
    w1, h1 = longest_edge_size(W, H)
    r = rng.random()
    m1 = 'lanczos' if r < 0.6 else rng.choice(['bilinear', 'bicubic', 'box', 'noaa'])
    img = resize(img, w1, h1, m1)
    r = rng.random()
    m2 = ('lanczos' if r < 0.3 else 'bilinear' if r < 0.45 else 'box' if r < 0.55 else 'bicubic' if r < 0.65
          else 'noaa' if r < 0.95 else 'noaa_nearest')
    return np.asarray(resize(img, T, T, m2))


def _gen_one(args):
    seed, idx = args
    rng = random.Random(seed * 1000003 + idx)
    sc = scenes.sample_scene(rng)
    img = make_train_image(sc, rng)
    col, shp = scenes.label_grid(sc, CFG['G'])
    ctr = scenes.centre_grid(sc, CFG['G'])
    meta = dict(w=sc['w'], objects=[dict(shape=o['shape'], color=o['color'], cx=o['cx'], cy=o['cy'])
                                    for o in sc['objects']], h=sc['h'])
    return img, np.stack([col, shp, ctr]).astype(np.uint8), meta


def token_labels(meta, fh):
    """Training-only targets for the image tokens: multi-hot [24] of (colour, shape) pairs present,
    object count, and colour+1 / shape+1 of the objects from left to right (4 slots, 0 = none)."""
    pairs = np.zeros(24, np.float32)
    sc = np.zeros(4, np.int64)
    ss = np.zeros(4, np.int64)
    objs = sorted(meta['objects'], key=lambda o: -o['cx'] if fh else o['cx'])
    for r, o in enumerate(objs):
        ci, si = scenes.COLOR_NAMES.index(o['color']), scenes.SHAPES.index(o['shape'])
        pairs[ci * 3 + si] = 1
        sc[r], ss[r] = ci + 1, si + 1
    return pairs, len(objs), sc, ss


# ------------------------------------------------------------------------------------------------
class Prompter:
    def __init__(self):
        self.tok = Tokenizer()
        self.cache = {}
        seq = CFG['SEQ']
        self.image_block = '<fake_token_around_image><global-img>' + '<image>' * seq + '<fake_token_around_image>'
        # vocabulary words for random out-of-world questions
        words = []
        for w in self.tok.vocab:
            core = w[1:]
            if w.startswith('\u0120') and core.isascii() and core.isalpha() and core.islower() and 3 <= len(core) <= 10:
                if core not in scenes.IN_WORLD_WORDS:
                    words.append(core)
        words.sort()
        self.vocab_words = words

    def prompt_ids(self, question, image=True):
        key = (question, image)
        if key not in self.cache:
            if image:
                s = '<|im_start|>User:' + self.image_block + question + '<end_of_utterance>\nAssistant:'
            else:
                s = '<|im_start|>User: ' + question + '<end_of_utterance>\nAssistant:'
            self.cache[key] = self.tok.encode(s)
        return self.cache[key]

    def followup_ids(self, question):
        """A later user turn (no image), after an answer that ended with <end_of_utterance>."""
        key = ('F', question)
        if key not in self.cache:
            self.cache[key] = self.tok.encode('\nUser: ' + question) + [EOU] + self.tok.encode('\nAssistant:')
        return self.cache[key]

    def answer_ids(self, answer):
        key = ('A', answer)
        if key not in self.cache:
            self.cache[key] = self.tok.encode(' ' + answer) + [EOU]
        return self.cache[key]


def pack(prompter, items):
    """items: list of (question, answer, has_image), one turn each: pack_dialogues of one-turn dialogues."""
    return pack_dialogues(prompter, [([(q, a)], img) for q, a, img in items])


def pack_dialogues(prompter, dialogues):
    """dialogues: list of (turns, has_image), turns = [(question, answer), ...], the image (if any) in the
    first user turn, each answer followed by <end_of_utterance> as the chat template renders it.  Returns
    ids [B,S] (right padded), (b, pos-1) label positions with targets for every answer token, and per
    dialogue the slice (start, length) of its last answer in those labels."""
    import torch
    seqs, labels = [], []
    for turns, img in dialogues:
        s, lab = [], []
        for k, (q, a) in enumerate(turns):
            s += prompter.prompt_ids(q, img) if k == 0 else prompter.followup_ids(q)
            ans = prompter.answer_ids(a)
            lab += [(len(s) + j - 1, t) for j, t in enumerate(ans)]
            s += ans
        seqs.append(s)
        labels.append(lab)
    ids = torch.full((len(seqs), max(len(s) for s in seqs)), 2, dtype=torch.long)
    bi, pi, tg, last = [], [], [], []
    for b, (s, lab, (turns, _)) in enumerate(zip(seqs, labels, dialogues)):
        ids[b, :len(s)] = torch.tensor(s)
        for p, t in lab:
            bi.append(b)
            pi.append(p)
            tg.append(t)
        n = len(prompter.answer_ids(turns[-1][1]))
        last.append((len(tg) - n, n))
    return ids, torch.tensor(bi), torch.tensor(pi), torch.tensor(tg), last


def build_images(n, seed, procs=2):
    """-> images uint8 [n,T,T,3], grids uint8 [n,3,G,G] (cell colour, cell shape, object centre), metas"""
    imgs = np.zeros((n, T, T, 3), np.uint8)
    grids = np.zeros((n, 3, CFG['G'], CFG['G']), np.uint8)
    metas = [None] * n
    jobs = [(seed, i) for i in range(n)]
    if procs > 1:
        import multiprocessing as mp
        with mp.Pool(procs) as pool:
            for i, (a, b, m) in enumerate(pool.imap(_gen_one, jobs, chunksize=64)):
                imgs[i], grids[i], metas[i] = a, b, m
    else:
        for i, j in enumerate(jobs):
            imgs[i], grids[i], metas[i] = _gen_one(j)
    return imgs, grids, metas


def training_images(n, seed, procs=2, cache=False):
    """build_images, kept in (or read back from) build/images_{seed}_{n}.pkl when cache is set."""
    import os
    import pickle
    path = f'build/images_{seed}_{n}.pkl'
    if cache and os.path.exists(path):
        with open(path, 'rb') as f:
            return pickle.load(f)
    built = build_images(n, seed, procs)
    if cache:
        with open(path, 'wb') as f:
            pickle.dump(built, f, protocol=4)
    return built
