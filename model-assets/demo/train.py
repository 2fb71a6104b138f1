#!/usr/bin/python3
"""Train the Glance demo model on synthetic shape scenes (CPU, seeded).

    /usr/bin/python3 train.py --out build/model.pt [--images 20000] [--steps 3000] [--threads 2]
"""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

import scenes
from data import Prompter, pack, pack_dialogues, token_labels, training_images
from model import CFG, IMAGE_TOKEN, VOCAB, Decoder, Vision, fast_linear

TYPE_WEIGHTS = dict(color=0.15, shape=0.15, count=0.10, exists=0.16, describe=0.30, unknown=0.14)


def to_pixels(imgs_u8):
    """uint8 [N,T,T,3] -> float [N,3,T,T] in [-1,1] (rescale 1/255, mean = std = 0.5)"""
    x = torch.from_numpy(imgs_u8).permute(0, 3, 1, 2).float()
    return (x * (1.0 / 255.0) - 0.5) / 0.5


def cosine_lr(step, steps, peak):
    """Linear warm-up over min(200, steps / 10) steps, then a cosine decay to 3 % of the peak at the last step."""
    warm = min(200, steps // 10)
    if step < warm:
        return peak * (step + 1) / warm
    return peak * (0.03 + 0.97 * 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, steps - warm))))


def flipped_batch(imgs, grids, idx, rng):
    """The images and label grids of scenes idx, each flipped left to right and top to bottom at random:
    (images uint8 [N,T,T,3], grids int64 [N,3,G,G], flipped left to right [N], flipped top to bottom [N])."""
    fh = [rng.random() < 0.5 for _ in idx]
    fv = [rng.random() < 0.5 for _ in idx]
    batch = imgs[idx].copy()
    gr = grids[idx].astype(np.int64)
    for j in range(len(idx)):
        if fh[j]:
            batch[j], gr[j] = batch[j][:, ::-1], gr[j][:, :, ::-1]
        if fv[j]:
            batch[j], gr[j] = batch[j][::-1], gr[j][:, ::-1]
    return batch, gr, fh, fv


def merge_image_features(dec, ids, feats):
    emb = dec.embed(ids)
    m = ids == IMAGE_TOKEN
    if feats is not None and m.any():
        emb = emb.clone()
        emb[m] = feats.reshape(-1, feats.shape[-1]).to(emb.dtype)
    return emb


def flip_meta(meta, fh):
    if not fh:
        return meta
    return dict(w=meta['w'], objects=[dict(o, cx=meta['w'] - o['cx']) for o in meta['objects']])


def flipped_scene(meta, fh, fv):
    """The scene as the flipped image shows it (positions matter for 'where' questions)."""
    w, h = meta['w'], meta['h']
    return dict(w=w, h=h, objects=[dict(o, cx=w - o['cx'] if fh else o['cx'], cy=h - o['cy'] if fv else o['cy'])
                                   for o in meta['objects']])


def dialogue_batch(metas, idx, fh, fv, rng, prompter, text_batch, weights, turn_weights):
    """Phase 3: one conversation per image (1-3 turns, real answers, kinds drawn by weights, turn counts by
    turn_weights) + text_batch text-only ones."""
    out = []
    for i, h_, v_ in zip(idx, fh, fv):
        turns = scenes.conversation(flipped_scene(metas[i], h_, v_), rng, prompter.vocab_words, weights, turn_weights)
        out.append(([(t['question'], t['answer']) for t in turns], True))
    for _ in range(text_batch):
        n = rng.choices([1, 2, 3], [0.6, 0.3, 0.1])[0]
        turns = [scenes.text_only_question(rng, prompter.vocab_words) for _ in range(n)]
        out.append(([(t['question'], t['answer']) for t in turns], False))
    return out


def sample_items(metas, idx, flips, rng, prompter, types=None):
    items = []
    tw = list(TYPE_WEIGHTS.items())
    for i, fh in zip(idx, flips):
        sc = flip_meta(metas[i], fh)
        for _ in range(10):
            t = types or rng.choices([k for k, _ in tw], [w for _, w in tw])[0]
            qs = scenes.questions_for(sc, rng, types=[t], vocab_words=prompter.vocab_words)
            if qs:
                break
        q = qs[0]
        items.append((q['question'], q['answer'], True))
    return items


def text_only_items(n, rng, prompter):
    items = []
    for _ in range(n):
        r = rng.random()
        if r < 0.6:
            q = scenes.oow_question(rng, vocab_words=prompter.vocab_words)
        else:  # in-world wording without an image
            q = rng.choice(scenes.Q_COLOR + scenes.Q_COUNT + scenes.Q_DESCRIBE + scenes.Q_SHAPE + scenes.Q_EXISTS)
            c = rng.choice(scenes.COLOR_NAMES)
            q = q.format(s=rng.choice(scenes.SHAPES), c=c, a=scenes.article(c))
        items.append((q, scenes.UNKNOWN_ANSWER, False))
    return items


def answer_vocab(prompter, converse=False):
    """Every token id that can appear in an answer (always part of the sampled softmax); converse adds
    the answers of phase 3 (greeting, positions, colour lists, 'None.')."""
    ids = set()
    if converse:
        for s in [scenes.GREETING_ANSWER, scenes.NONE_ANSWER, 'On the left.', 'On the right.', 'At the top.',
                  'At the bottom.', 'Red, green and blue.']:
            ids.update(prompter.answer_ids(s))
    words = scenes.COLOR_NAMES + scenes.SHAPES + [n.lower() for n in scenes.NUMBERS]
    for w in words + [x.capitalize() for x in words] + ['A', 'a', 'an', 'An', 'and', 'Yes', 'No']:
        ids.update(prompter.tok.encode(' ' + w))
        ids.update(prompter.tok.encode(w))
    for s in [scenes.UNKNOWN_ANSWER, 'A red circle, an orange square and a blue triangle.', 'Yes.', 'No.']:
        ids.update(prompter.answer_ids(s))
    return sorted(ids)


def vision_aux_loss(ax, grids, metas, idx, fh, dev):
    """Training-only supervision of the vision encoder on the batch's scenes metas[idx] (fh: flipped left to
    right): per-cell colour, shape and object centre, the soft object count, the (colour, shape) pairs present and
    the colour and shape of each left-to-right slot."""
    labels = [token_labels(metas[i], h_) for i, h_ in zip(idx, fh)]
    gr = torch.from_numpy(grids).to(dev)
    tp = torch.tensor(np.stack([x[0] for x in labels])).to(dev)
    tn = torch.tensor([float(x[1]) for x in labels]).to(dev)
    tc = torch.tensor(np.stack([x[2] for x in labels])).to(dev)
    ts = torch.tensor(np.stack([x[3] for x in labels])).to(dev)
    valid = tc > 0
    eps = 1e-4
    return (F.cross_entropy(ax['col'], gr[:, 0]) + F.cross_entropy(ax['shp'], gr[:, 1]) +
            5.0 * F.binary_cross_entropy_with_logits(ax['ctr'], gr[:, 2].float()) +
            0.5 * F.smooth_l1_loss(ax['count'], tn) +
            F.binary_cross_entropy(ax['pair'].clamp(eps, 1 - eps), tp) +
            F.nll_loss(torch.log(ax['slot'][..., :8][valid].clamp_min(eps)), tc[valid] - 1) +
            F.nll_loss(torch.log(ax['slot'][..., 8:][valid].clamp_min(eps)), ts[valid] - 1))


def lm_loss(dec, ids, bi, pi, tg, feats, cand=None):
    """Cross entropy on the answer tokens.  cand: candidate token ids for a sampled softmax
    (None = full 49280-way softmax)."""
    emb = merge_image_features(dec, ids, feats)
    h = dec.hidden(emb)[bi, pi]
    if cand is None:
        logits = dec.lm_head(h)
        return F.cross_entropy(logits, tg), logits.argmax(-1) == tg
    remap = torch.full((dec.lm_head.weight.shape[0],), -1, dtype=torch.long, device=h.device)
    remap[cand] = torch.arange(len(cand), device=h.device)
    logits = fast_linear(h, dec.lm_head.weight[cand])
    t = remap[tg]
    return F.cross_entropy(logits, t), logits.argmax(-1) == t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default='build/model.pt')
    ap.add_argument('--images', type=int, default=20000)
    ap.add_argument('--steps', type=int, default=3000)
    ap.add_argument('--batch', type=int, default=32, help='images per step (each gets --qpi questions)')
    ap.add_argument('--qpi', type=int, default=2)
    ap.add_argument('--negatives', type=int, default=4096, help='random extra tokens in the sampled softmax')
    ap.add_argument('--text-batch', type=int, default=8)
    ap.add_argument('--stop-after', type=int, default=None,
                    help='end after this many steps of the --steps schedule (learning rate not yet decayed)')
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--procs', type=int, default=2)
    ap.add_argument('--aux', type=float, default=0.5)
    ap.add_argument('--log-every', type=int, default=100)
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--eval-dir', default=None, help='test-set folder evaluated every --eval-every steps')
    ap.add_argument('--eval-every', type=int, default=0)
    ap.add_argument('--save-every', type=int, default=0)
    ap.add_argument('--type-weights', default=None,
                    help='e.g. color=0.2,shape=0.2,... (default TYPE_WEIGHTS; with --converse: scenes.CONV_WEIGHTS, '
                         'kinds not named get weight 0)')
    ap.add_argument('--turns', default=None, help='with --converse: how often a conversation has 1, 2 and 3 turns, '
                                                   'e.g. 0.2,0.35,0.45 (default scenes.TURN_WEIGHTS)')
    ap.add_argument('--max-objects', type=int, default=4, help='train only on scenes with at most this many shapes')
    ap.add_argument('--data-seed', type=int, default=1, help='seed of the rendered training scenes')
    ap.add_argument('--init', default=None, help='start from this checkpoint (second training phase)')
    ap.add_argument('--cache', action='store_true', help='keep/reuse the rendered training images in build/')
    ap.add_argument('--converse', action='store_true',
                    help='phase 3: conversations (scenes.conversation), extra vision symbols, vision CNN frozen')
    ap.add_argument('--fresh-decoder', action='store_true',
                    help='with --init: take only the vision CNN and its per-cell head from the checkpoint; the '
                         'projections to the text model and the decoder start from scratch')
    ap.add_argument('--train-vision', action='store_true',
                    help='with --converse: keep training the vision CNN (with the auxiliary per-cell losses)')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    conversation_weights = dict(scenes.CONV_WEIGHTS)
    if a.type_weights:
        weights = TYPE_WEIGHTS if not a.converse else conversation_weights
        weights.clear()
        weights.update({k: float(v) for k, v in (kv.split('=') for kv in a.type_weights.split(','))})
    turn_weights = tuple(float(x) for x in a.turns.split(',')) if a.turns else scenes.TURN_WEIGHTS
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)

    t0 = time.time()
    imgs, grids, metas = training_images(a.images, a.data_seed, a.procs, a.cache)
    print(f'built {a.images} training images in {time.time() - t0:.0f}s', flush=True)
    prompter = Prompter()
    avocab = answer_vocab(prompter, a.converse)
    print(f'{len(avocab)} answer tokens; {len(prompter.vocab_words)} words for random questions', flush=True)

    vis, dec = Vision(extra=a.converse), Decoder()
    with torch.no_grad():
        dec.embed.weight.normal_(0, 0.02)
        dec.lm_head.weight.normal_(0, 0.02)
    if a.init:
        ck = torch.load(a.init, map_location='cpu')
        state = ck['vision']
        if a.fresh_decoder:
            state = {k: v for k, v in state.items() if not k.startswith(('proj.', 'proj_extra.', 'tokpos'))}
        loaded = vis.load_state_dict(state, strict=False)
        assert all(k.startswith(('proj.', 'proj_extra.', 'tokpos')) for k in loaded.missing_keys), loaded.missing_keys
        assert all(k.startswith('proj_extra.') for k in loaded.unexpected_keys), loaded.unexpected_keys
        if not a.fresh_decoder:
            dec.load_state_dict(ck['decoder'])
        elif vis.extra:
            vis.proj_extra.reset_parameters()
        print(f'initialised from {a.init}', flush=True)
    frozen = []
    if a.converse and not a.train_vision:  # the CNN and its head stay as trained; BatchNorm uses its running statistics
        frozen = [m for n, m in vis.named_children() if n not in ('proj', 'proj_extra')]
        for m in frozen:
            m.requires_grad_(False)
    dev = torch.device(a.device)
    vis.to(dev)
    dec.to(dev)
    params = [p for p in list(vis.parameters()) + list(dec.parameters()) if p.requires_grad]
    decay = [p for p in params if p.dim() >= 2 and p is not dec.embed.weight]
    nodecay = [p for p in params if p.dim() < 2 or p is dec.embed.weight]
    opt = torch.optim.AdamW([dict(params=decay, weight_decay=0.01), dict(params=nodecay, weight_decay=0.0)],
                            lr=a.lr, betas=(0.9, 0.98))
    lr_at = lambda s: cosine_lr(s, a.steps, a.lr)

    N = a.images
    pool = [i for i in range(N) if len(metas[i]['objects']) <= a.max_objects]
    stats = dict(loss=0.0, aux=0.0, acc=0.0, n=0)
    def log_eval_save(step):
        nonlocal stats
        if (step + 1) % a.log_every == 0 or step == a.steps - 1:
            n = stats['n']
            print(f"step {step + 1}/{a.steps} loss {stats['loss'] / n:.4f} aux {stats['aux'] / n:.4f} "
                  f"tokacc {stats['acc'] / n:.4f} lr {lr_at(step):.2e} "
                  f"{time.time() - t1:.0f}s", flush=True)
            stats = dict(loss=0.0, aux=0.0, acc=0.0, n=0)
        if a.save_every and (step + 1) % a.save_every == 0:
            torch.save(dict(vision=vis.state_dict(), decoder=dec.state_dict(), cfg=CFG, args=vars(a), step=step + 1),
                       a.out + '.partial')
        if a.eval_dir and a.eval_every and ((step + 1) % a.eval_every == 0 or step == a.steps - 1):
            from evaluate import evaluate
            vis.eval()
            r, _ = evaluate(vis, dec, a.eval_dir, prompter, device=dev)
            print(f'eval step {step + 1}: ' + ' '.join(f"{k} {100 * v['acc']:.1f}" for k, v in r.items()), flush=True)

    t1 = time.time()
    for step in range(min(a.steps, a.stop_after or a.steps)):
        for g in opt.param_groups:
            g['lr'] = lr_at(step)
        idx = [pool[rng.randrange(len(pool))] for _ in range(a.batch)]
        batch, gr, fh, fv = flipped_batch(imgs, grids, idx, rng)
        px = to_pixels(batch).to(dev)
        vis.train(not frozen)
        feats, ax = vis(px, with_aux=True)
        cand = torch.tensor(sorted(set(avocab) | set(rng.sample(range(VOCAB), a.negatives)))).to(dev)
        if a.converse:
            ids, bi, pi, tg, _ = pack_dialogues(prompter, dialogue_batch(metas, idx, fh, fv, rng, prompter, a.text_batch,
                                                                         conversation_weights, turn_weights))
            ids, bi, pi, tg = ids.to(dev), bi.to(dev), pi.to(dev), tg.to(dev)
            loss, ok = lm_loss(dec, ids, bi, pi, tg, feats, cand)
            total = loss
            if a.train_vision:
                aux_loss = vision_aux_loss(ax, gr, metas, idx, fh, dev)
                total = loss + a.aux * aux_loss
                stats['aux'] += aux_loss.item()
            opt.zero_grad(set_to_none=True)
            total.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            stats['loss'] += loss.item()
            stats['acc'] += ok.float().mean().item()
            stats['n'] += 1
            log_eval_save(step)
            continue
        items = []
        for k in range(a.qpi):  # several questions per image: the vision features are reused
            items += sample_items(metas, idx, fh, rng, prompter)
        ids, bi, pi, tg, _ = pack(prompter, items)
        ids, bi, pi, tg = ids.to(dev), bi.to(dev), pi.to(dev), tg.to(dev)
        loss, ok = lm_loss(dec, ids, bi, pi, tg, feats.repeat(a.qpi, 1, 1), cand)
        titems = text_only_items(a.text_batch, rng, prompter)
        tids, tbi, tpi, ttg, _ = pack(prompter, titems)
        tids, tbi, tpi, ttg = tids.to(dev), tbi.to(dev), tpi.to(dev), ttg.to(dev)
        tloss, _ = lm_loss(dec, tids, tbi, tpi, ttg, None, cand)
        aux_loss = vision_aux_loss(ax, gr, metas, idx, fh, dev)
        total = loss + 0.2 * tloss + a.aux * aux_loss
        opt.zero_grad(set_to_none=True)
        total.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        stats['loss'] += loss.item()
        stats['aux'] += aux_loss.item()
        stats['acc'] += ok.float().mean().item()
        stats['n'] += 1
        log_eval_save(step)
    vis.eval()
    vis.cpu()
    dec.cpu()
    torch.save(dict(vision=vis.state_dict(), decoder=dec.state_dict(), cfg=CFG, args=vars(a)), a.out)
    print(f'saved {a.out}; total {time.time() - t0:.0f}s', flush=True)


if __name__ == '__main__':
    main()
