#!/usr/bin/python3
"""How far the vision encoder's own symbols go, without the decoder: on a test-set folder, the share of scenes
whose object count, left-to-right slots (colour and shape by argmax) and slot sides (the `where` symbols of
Vision.extra_symbols) match the ground truth.  These are upper bounds for what a decoder reading the symbols
can answer (describe needs every slot right; where needs the asked object's side).

    /usr/bin/python3 vision_bounds.py build/phase2.pt heldout-conversations [-v]
"""
import argparse
import collections
import json
import os

import numpy as np
import torch
from PIL import Image

import scenes
from data import preprocess_reference
from model import Vision
from train import to_pixels

SIDES = ['On the left.', 'On the right.', 'At the top.', 'At the bottom.']


def slot_symbols(vis, pixels):
    """Object count, slot colour/shape probabilities [N,4,11] and slot side scores [N,4,4] for a batch."""
    _, ax = vis(pixels, with_aux=True)
    return ax['count'], ax['slot'], ax['extra'][:, 1:5, -4:]


@torch.no_grad()
def bounds(vis, folder, verbose=False):
    doc = json.load(open(os.path.join(folder, 'testset.json')))
    entries = doc['scenes']
    stats = collections.Counter()
    for s in range(0, len(entries), 64):
        chunk = entries[s:s + 64]
        arr = np.stack([preprocess_reference(Image.open(os.path.join(folder, e['image']))) for e in chunk])
        count, slot, side = slot_symbols(vis, to_pixels(arr))
        for j, e in enumerate(chunk):
            sc = e['scene']
            objs = sorted(sc['objects'], key=lambda o: o['cx'])
            scene_ok = int(round(count[j].item())) == len(objs)
            stats['count'] += scene_ok
            for r, o in enumerate(objs):
                colour = scenes.COLOR_NAMES[int(slot[j, r, :8].argmax())]
                shape = scenes.SHAPES[int(slot[j, r, 8:].argmax())]
                right = colour == o['color'] and shape == o['shape']
                stats['objects'] += right
                stats['objects_total'] += 1
                scene_ok &= right
                if not right and verbose:
                    print(f"{e['image']} {sc['width']}x{sc['height']} slot {r}: {o['color']} {o['shape']} read as "
                          f"{colour} {shape} (size {o['size'] / min(sc['width'], sc['height']):.2f} of the short side)")
                where = scenes.where_answer(o, sc['width'], sc['height'])
                if where is not None:
                    stats['where'] += SIDES[int(side[j, r].argmax())] == where
                    stats['where_total'] += 1
            stats['describe'] += scene_ok
    n = len(entries)
    return dict(scenes=n, count=stats['count'] / n, describe=stats['describe'] / n,
                objects=stats['objects'] / stats['objects_total'], where=stats['where'] / max(1, stats['where_total']),
                where_objects=stats['where_total'])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('ckpt')
    ap.add_argument('folder')
    ap.add_argument('-v', action='store_true', help='list every object read wrongly')
    a = ap.parse_args()
    torch.set_num_threads(1)
    ck = torch.load(a.ckpt, map_location='cpu')
    vis = Vision.for_checkpoint(ck['vision'], extra=True)
    vis.load_state_dict(ck['vision'], strict=False)   # the side symbols need no trained weights
    print(json.dumps(bounds(vis.eval(), a.folder, a.v), indent=1))


if __name__ == '__main__':
    main()
