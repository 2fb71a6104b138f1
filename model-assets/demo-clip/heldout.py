#!/usr/bin/python3
"""Writes a held-out test set for the demo CLIP: new scenes of the demo's world (model-assets/demo/scenes.py) at
their real sizes, PNG or JPEG, and clipset.json naming each picture's objects.

    scenes   --scenes N pictures with 1-4 objects: text-to-image retrieval, the query being the scene's own
             description ("a red circle and a blue square")
    single   --single N pictures with one object: zero-shot colour (8 labels) and shape (3 labels) accuracy

Usage: /usr/bin/python3 model-assets/demo-clip/heldout.py --out DIR [--scenes 500] [--single 500] [--seed 2027] [--small]
The committed set: --out model-assets/demo-clip/testset --scenes 40 --single 40 --seed 31 --small
The training data uses seeds 11000-11019; the default seed gives scenes training never saw.
"""
import argparse
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'demo'))
import scenes  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--out', required=True)
    parser.add_argument('--scenes', type=int, default=500)
    parser.add_argument('--single', type=int, default=500)
    parser.add_argument('--seed', type=int, default=2027)
    parser.add_argument('--small', action='store_true', help='pictures of at most 640x480 pixels (the committed set)')
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    entries = []
    for kind, count in (('scenes', args.scenes), ('single', args.single)):
        for i in range(count):
            w = h = None
            while args.small and (w is None or w * h > 640 * 480):
                w, h = scenes.sample_size(rng)
            scene = scenes.sample_scene(rng, n=1 if kind == 'single' else None, w=w, h=h)
            fmt = 'jpg' if rng.random() < 0.5 else 'png'
            name = f'{kind}_{i:04d}.{fmt}'
            img = scenes.render(scene)
            if fmt == 'jpg':
                img.save(os.path.join(args.out, name), format='JPEG', quality=rng.randint(50, 95))
            else:
                img.save(os.path.join(args.out, name), format='PNG')
            objects = [dict(color=o['color'], shape=o['shape']) for o in sorted(scene['objects'], key=lambda o: o['cx'])]
            entries.append(dict(image=name, kind=kind, objects=objects))
    with open(os.path.join(args.out, 'clipset.json'), 'w') as f:
        json.dump(dict(format='glance-clip-testset', version=1, generator='model-assets/demo-clip/heldout.py',
                       seed=args.seed, colors=scenes.COLOR_NAMES, shapes=scenes.SHAPES, scenes=entries), f, indent=1)


if __name__ == '__main__':
    main()
