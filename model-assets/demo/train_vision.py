#!/usr/bin/python3
"""Phase 4: a finer stem for the vision CNN of a phase-3 model, the decoder untouched.

The phase-3 CNN looks at the 256 x 256 picture through one linear map of each 4x4 pixel block (a cell of its first
64 x 64 grid), and confuses circles, squares and triangles only a few pixels wide. Phase 4 replaces that map with
model.FineStem (the blocks as 48 channels, then two 3x3 convolutions over the grid of blocks; Vision(fine_stem=True))
and retrains the CNN and its per-cell head with the auxiliary
per-cell losses alone. The projections of the symbols to the text model (proj, proj_extra, tokpos) and the
decoder stay as phase 3 left them: the CNN's outputs are symbols (colour, shape and centre probabilities per
cell) whose meaning the losses fix, so a CNN that reads them better plugs into the same decoder.

  1. --distill-steps: only the new stem trains, to reproduce the old stem's output (mean squared error), so that
     the layers above it start from inputs they know;
  2. --steps: the whole CNN and its head train on vision_aux_loss (cosine schedule from --lr; the layers that
     came from phase 3 at --lr x --old-lr-scale).

Prints vision_bounds on --eval-dir every --eval-every steps.

    /usr/bin/python3 train_vision.py --init build/phase3.pt --out build/model.pt
"""
import argparse
import random
import time

import torch
import torch.nn.functional as F

from data import training_images
from model import Vision
from train import cosine_lr, flipped_batch, to_pixels, vision_aux_loss
from vision_bounds import bounds

DECODER_SIDE = ('proj.', 'proj_extra.', 'tokpos')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--init', required=True, help='phase-3 checkpoint')
    ap.add_argument('--out', required=True)
    ap.add_argument('--images', type=int, default=10000)
    ap.add_argument('--data-seed', type=int, default=3)
    ap.add_argument('--procs', type=int, default=2)
    ap.add_argument('--distill-steps', type=int, default=600)
    ap.add_argument('--steps', type=int, default=3000)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--old-lr-scale', type=float, default=0.3)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--eval-dir', default='testset-large')
    ap.add_argument('--eval-every', type=int, default=500)
    ap.add_argument('--log-every', type=int, default=100)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    t0 = time.time()
    imgs, grids, metas = training_images(a.images, a.data_seed, a.procs, cache=True)
    print(f'{a.images} training images in {time.time() - t0:.0f}s', flush=True)

    ck = torch.load(a.init, map_location='cpu')
    old = Vision.for_checkpoint(ck['vision'])
    old.load_state_dict(ck['vision'])
    old.eval()
    vis = Vision(extra=True, fine_stem=True)
    kept = {k: v for k, v in ck['vision'].items() if not k.startswith('stem.')}
    loaded = vis.load_state_dict(kept, strict=False)
    assert all(k.startswith('stem.') for k in loaded.missing_keys) and not loaded.unexpected_keys, loaded
    for name, p in vis.named_parameters():
        p.requires_grad_(not name.startswith(DECODER_SIDE))

    def batch_pixels():
        idx = [rng.randrange(a.images) for _ in range(a.batch)]
        batch, gr, fh, _ = flipped_batch(imgs, grids, idx, rng)
        return to_pixels(batch), gr, idx, fh

    t1 = time.time()
    stem_opt = torch.optim.AdamW(vis.stem.parameters(), lr=a.lr, weight_decay=0.0)
    vis.train()
    total = 0.0
    for step in range(a.distill_steps):
        for g in stem_opt.param_groups:
            g['lr'] = cosine_lr(step, a.distill_steps, a.lr)
        px, _, _, _ = batch_pixels()
        with torch.no_grad():
            target = old.stem(px)
        loss = F.mse_loss(vis.stem(px), target)
        stem_opt.zero_grad(set_to_none=True)
        loss.backward()
        stem_opt.step()
        total += loss.item()
        if (step + 1) % a.log_every == 0:
            print(f'distill {step + 1}/{a.distill_steps} mse {total / a.log_every:.4f} {time.time() - t1:.0f}s',
                  flush=True)
            total = 0.0

    def report(label):
        vis.eval()
        with torch.no_grad():
            r = bounds(vis, a.eval_dir)
        vis.train()
        print(f"eval {label}: slots {100 * r['describe']:.1f} objects {100 * r['objects']:.2f} "
              f"count {100 * r['count']:.1f} where {100 * r['where']:.1f}", flush=True)

    if a.eval_dir:
        report('after distillation')
    new_stem = set(vis.stem.parameters())
    rest = [p for p in vis.parameters() if p.requires_grad and p not in new_stem]
    opt = torch.optim.AdamW([dict(params=list(new_stem), scale=1.0), dict(params=rest, scale=a.old_lr_scale)],
                            lr=a.lr, weight_decay=0.01, betas=(0.9, 0.98))
    total = 0.0
    for step in range(a.steps):
        for g in opt.param_groups:
            g['lr'] = g['scale'] * cosine_lr(step, a.steps, a.lr)
        px, gr, idx, fh = batch_pixels()
        _, ax = vis(px, with_aux=True)
        loss = vision_aux_loss(ax, gr, metas, idx, fh, px.device)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for g in opt.param_groups for p in g['params']], 1.0)
        opt.step()
        total += loss.item()
        if (step + 1) % a.log_every == 0:
            print(f'step {step + 1}/{a.steps} aux {total / a.log_every:.4f} {time.time() - t1:.0f}s', flush=True)
            total = 0.0
        if a.eval_dir and a.eval_every and (step + 1) % a.eval_every == 0:
            report(f'step {step + 1}')
    vis.eval()
    torch.save(dict(vision=vis.state_dict(), decoder=ck['decoder'], cfg=ck.get('cfg'), args=vars(a)), a.out)
    print(f'saved {a.out}; total {time.time() - t0:.0f}s', flush=True)


if __name__ == '__main__':
    main()
