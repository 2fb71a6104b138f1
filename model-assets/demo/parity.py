#!/usr/bin/python3
"""Writes build/parity.json: torch image_features and first-step logits (top ids + values) for the
first 3 test-set scenes (first question each), for parity_check.mjs (ONNX Runtime vs torch)."""
import json
import sys

import numpy as np
import torch
from PIL import Image

from data import Prompter, preprocess_reference
from evaluate import load
from train import merge_image_features, to_pixels

ckpt, folder = sys.argv[1], sys.argv[2]
vis, dec = load(ckpt)
p = Prompter()
doc = json.load(open(folder + '/testset.json'))
out = []
with torch.no_grad():
    for e in doc['scenes'][:3]:
        arr = preprocess_reference(Image.open(folder + '/' + e['image']))[None]
        f = vis(to_pixels(arr))
        q = e['questions'][0]['question']
        ids = torch.tensor([p.prompt_ids(q)])
        h = dec.hidden(merge_image_features(dec, ids, f))
        lg = dec.lm_head(h[0, -1])
        out.append(dict(image=e['image'], question=q, ids=ids[0].tolist(), pixels=to_pixels(arr)[0].flatten().tolist(),
                        features=f[0].flatten().tolist(), logits_head=lg[:8].tolist(), argmax=int(lg.argmax())))
json.dump(out, open('build/parity.json', 'w'))
print('wrote build/parity.json')
