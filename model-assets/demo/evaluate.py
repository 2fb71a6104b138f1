#!/usr/bin/python3
"""Accuracy of a trained checkpoint (torch) on a test-set folder (testset.json + images).

Images go through the reference preprocessing (PIL Lanczos: longest edge -> 2T, squash to T x T,
rescale 1/255, normalize 0.5/0.5).  A question counts as correct when greedy decoding yields exactly
` {answer}<end_of_utterance>`; with teacher forcing this is "argmax == target at every answer
position" (same thing, one forward pass).  A follow-up ("before": earlier turns) is fed with the earlier
turns' expected answers in the prompt; only its last answer is scored.

    /usr/bin/python3 evaluate.py build/model.pt testset [testset-large ...] [--json out.json]
"""
import argparse
import collections
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

from data import Prompter, pack_dialogues, preprocess_reference
from model import Decoder, Vision
from train import merge_image_features, to_pixels


def load(path, device='cpu'):
    ck = torch.load(path, map_location=device)
    vis, dec = Vision.for_checkpoint(ck['vision']), Decoder()
    vis.load_state_dict(ck['vision'])
    dec.load_state_dict(ck['decoder'])
    return vis.eval().to(device), dec.eval().to(device)


_CACHE = {}


def _images(folder, names):
    key = (folder, tuple(names))
    if key not in _CACHE:
        _CACHE[key] = np.stack([preprocess_reference(Image.open(os.path.join(folder, n))) for n in names])
    return _CACHE[key]


@torch.no_grad()
def evaluate(vis, dec, folder, prompter=None, batch=32, device='cpu', verbose=False):
    prompter = prompter or Prompter()
    doc = json.load(open(os.path.join(folder, 'testset.json')))
    entries = doc['scenes'] + doc.get('special', [])
    res = collections.defaultdict(lambda: [0, 0])
    wrong = []
    for s in range(0, len(entries), batch):
        chunk = entries[s:s + batch]
        arr = _images(folder, [e['image'] for e in chunk])
        feats = vis(to_pixels(arr).to(device))
        items, fidx, meta = [], [], []
        for j, e in enumerate(chunk):
            for q in e['questions']:
                items.append((_turns(q), True))
                fidx.append(j)
                meta.append((e['image'], q))
        _score(dec, prompter, items, feats[fidx], meta, res, wrong, device)
    items = [(_turns(q), False) for q in doc.get('text_only', [])]
    if items:
        _score(dec, prompter, items, None, [('(text only)', q) for q in doc['text_only']], res, wrong, device,
               key='text_only')
    if verbose:
        for w in wrong[:40]:
            print('  WRONG', w)
    return {k: dict(correct=v[0], total=v[1], acc=v[0] / max(1, v[1])) for k, v in sorted(res.items())}, wrong


def _turns(q):
    return [(b['question'], b['answer']) for b in q.get('before', [])] + [(q['question'], q['answer'])]


def _score(dec, prompter, items, feats, meta, res, wrong, device, key=None):
    ids, bi, pi, tg, last = pack_dialogues(prompter, items)
    emb = merge_image_features(dec, ids.to(device), feats)
    h = dec.hidden(emb)
    pred = dec.lm_head(h[bi.to(device), pi.to(device)]).argmax(-1).cpu()
    ok = (pred == tg)
    for (k, la), (img, q) in zip(last, meta):
        good = bool(ok[k:k + la].all())
        t = key or q['type']
        res[t][0] += good
        res[t][1] += 1
        if not good:
            wrong.append((img, q['question'], q['answer'], prompter.tok.decode(pred[k:k + la].tolist())))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('ckpt')
    ap.add_argument('folders', nargs='+')
    ap.add_argument('--json')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('-v', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    vis, dec = load(a.ckpt)
    out = {}
    for f in a.folders:
        r, _ = evaluate(vis, dec, f, verbose=a.v)
        out[f] = r
        print(f, json.dumps({k: f"{v['correct']}/{v['total']} = {100 * v['acc']:.1f}%" for k, v in r.items()}, indent=1))
    if a.json:
        json.dump(out, open(a.json, 'w'), indent=1)


if __name__ == '__main__':
    main()
