#!/usr/bin/python3
"""Synthetic shape scenes + questions/answers for the Glance demo model.

World: plain or lightly textured background, 1-4 non-overlapping shapes from {circle, square,
triangle} in {red, green, blue, yellow, black, white, orange, purple}, size (bounding width) 8-40 %
of the image's short side, anywhere in the frame (fully inside), images 160x120 .. 1920x1080 with
aspect ratio W/H in [0.5, 2.4], PNG or JPEG (quality 40-95).

CLI (writes a test set: images + testset.json, format in README.md):
    /usr/bin/python3 scenes.py --out testset --n 64 --seed 20250601 --special
    /usr/bin/python3 scenes.py --out testset-large --n 500 --seed 777   # larger held-out set
"""
import argparse
import collections
import io
import json
import math
import os
import random

import numpy as np
from PIL import Image, ImageDraw

SHAPES = ['circle', 'square', 'triangle']
COLORS = {  # nominal sRGB; each scene jitters every channel by up to +-18
    'red': (225, 30, 35), 'green': (35, 165, 60), 'blue': (35, 75, 220), 'yellow': (245, 215, 35),
    'black': (20, 20, 20), 'white': (245, 245, 245), 'orange': (245, 135, 25), 'purple': (135, 45, 170),
}
COLOR_NAMES = list(COLORS)
NUMBERS = ['Zero', 'One', 'Two', 'Three', 'Four']
UNKNOWN_ANSWER = 'I only know shapes and colors.'
MIN_W, MIN_H, MAX_W, MAX_H = 160, 120, 1920, 1080
MIN_ASPECT, MAX_ASPECT = 0.5, 2.4

# ---------------------------------------------------------------------------------------------
# Question templates.  The first template of each type is the canonical one (used by the test set
# most of the time); training uses all of them.
# ---------------------------------------------------------------------------------------------
Q_COLOR = ['What color is the {s}?', 'What colour is the {s}?', 'Which color is the {s}?',
           'What is the color of the {s}?', 'What color does the {s} have?']
Q_SHAPE = ['What shape is the {c} object?', 'What shape is the {c} one?', 'Which shape is {c}?',
           'What is the shape of the {c} object?', 'What kind of shape is the {c} object?']
Q_COUNT = ['How many shapes are there?', 'How many objects are there?', 'How many shapes are in the image?',
           'Count the shapes.', 'How many shapes do you see?']
Q_EXISTS = ['Is there {a} {c} {s}?', 'Is there {a} {c} {s} in the image?', 'Do you see {a} {c} {s}?',
            'Can you see {a} {c} {s}?']
Q_DESCRIBE = ['Describe the image.', 'Can you describe this image?', 'What is in the image?',
              'What do you see?', 'Describe this image.', 'What is in this picture?']

# Out-of-world questions.  UNKNOWN_HELDOUT is never used for training (test set only).
UNKNOWN_TRAIN = [
    'What is the capital of France?', 'Who are you?', 'What time is it?', 'Tell me a joke.', 'Hello!',
    'What is the weather like?', 'Is this a cat?', 'How old is the man?', 'What is the dog doing?',
    'Where was this photo taken?', 'What is two plus two?', 'Who painted this?', 'Translate this to French.',
    'What is your name?', 'Is it raining?', 'What brand is the car?', 'Read the text in the image.',
    'Is the person smiling?', 'What animal is this?', 'What season is it?', 'Write a poem about the sea.',
    'How tall is the tree?', 'What language is this?', 'Why is the sky blue?', 'What does the sign say?',
    'Who won the game?', 'What is the meaning of life?', 'Summarize this document.', 'What food is this?',
    'How much does it cost?', 'Is this safe to eat?', 'What city is this?', 'Explain quantum physics.',
    'What is the woman holding?', 'Are there any people?', 'What year is it?', 'Hi, how are you?',
    'Can you help me with my homework?', 'What is the temperature?', 'Where is the circle?',
    'How big is the square?', 'Why is the triangle there?', 'Which shape is the biggest?',
    'What is the background color?', 'Is the circle bigger than the square?', 'Where is the red object?',
]
UNKNOWN_HELDOUT = [
    'Who is the president?', 'What is the name of this place?', 'How many people are there?',
    'What color is the car?', 'Is there a dog?', 'What is the man wearing?', 'What sport is this?',
    'What shape is the building?', 'Tell me a story.', 'What is the time on the clock?',
    'What is this?', 'Good morning!',
]
OOW_NOUNS = ['dog', 'cat', 'car', 'tree', 'house', 'sky', 'sun', 'person', 'man', 'woman', 'bird', 'table',
             'chair', 'book', 'phone', 'flower', 'cup', 'ball', 'star', 'heart', 'hexagon', 'line', 'arrow',
             'building', 'boat', 'horse', 'apple', 'banana', 'computer', 'door', 'window', 'road', 'cloud',
             'moon', 'river', 'mountain', 'child', 'bottle', 'shirt', 'hat', 'clock', 'lamp', 'bike', 'train']
OOW_TEMPLATES = ['What color is the {n}?', 'What shape is the {n}?', 'How many {n}s are there?',
                 'Is there a {n}?', 'Is there {a} {c} {n}?', 'Where is the {n}?', 'What is the {n} doing?',
                 'Describe the {n}.', 'Is the {n} {c}?', 'How big is the {n}?']
# Phase 3 (conversations) adds wordings that look like in-world questions ("What shape is this?") and more nouns;
# phases 1-2 keep the lists above, so that their training data stays as it was.
OOW_TEMPLATES_CONV = ['What {n} is this?', 'What kind of {n} is this?', 'Which {n} is this?',
                      'What is the name of the {n}?', 'Tell me about the {n}.', 'How many {n}s do you see?',
                      'Where is the {c} {n}?', 'What is on the {n}?']
OOW_NOUNS_CONV = ['game', 'animal', 'food', 'plant', 'song', 'movie', 'team', 'country', 'breed', 'fruit', 'street',
                  'room', 'vehicle', 'insect', 'shop', 'word', 'letter', 'number', 'flag', 'instrument']
IN_WORLD_WORDS = set(SHAPES) | set(COLOR_NAMES) | {'circles', 'squares', 'triangles', 'shape', 'shapes', 'colour',
                                                    'color', 'colors', 'colours', 'object', 'objects', 'describe',
                                                    'many', 'count', 'image', 'picture', 'see'}


def _cap(s):
    return s[0].upper() + s[1:]


def article(word):
    return 'an' if word[0] in 'aeiou' else 'a'


def describe_answer(objs):
    items = [f"{article(o['color'])} {o['color']} {o['shape']}" for o in sorted(objs, key=lambda o: o['cx'])]
    if len(items) == 1:
        s = items[0]
    else:
        s = ', '.join(items[:-1]) + ' and ' + items[-1]
    return _cap(s) + '.'


# ---------------------------------------------------------------------------------------------
# Scene sampling (geometry in real pixels of the full-size image)
# ---------------------------------------------------------------------------------------------
def _dist(a, b):
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))


def _jitter(rgb, rng, amt=18):
    return tuple(int(min(255, max(0, v + rng.randint(-amt, amt)))) for v in rgb)


def _circumradius(shape, size):
    return size / 2 if shape == 'circle' else (size / math.sqrt(2) if shape == 'square' else size / math.sqrt(3))


def sample_size(rng):
    while True:
        w = int(round(math.exp(rng.uniform(math.log(MIN_W), math.log(MAX_W)))))
        h = int(round(math.exp(rng.uniform(math.log(MIN_H), math.log(MAX_H)))))
        if MIN_ASPECT <= w / h <= MAX_ASPECT:
            return w, h


MIN_SIZE, MAX_SIZE = 0.08, 0.40   # a shape's bounding width, as a share of the image's short side


def sample_scene(rng, n=None, w=None, h=None, colors=None, min_size=MIN_SIZE):
    if w is None:
        w, h = sample_size(rng)
    n = n or rng.choice([1, 2, 2, 3, 3, 4, 4])
    short = min(w, h)
    for attempt in range(400):
        shrink = 1.0 if attempt < 100 else (0.7 if attempt < 250 else 0.45)
        objs = []
        ok = True
        for i in range(n):
            shape = rng.choice(SHAPES)
            color = colors[i] if colors else rng.choice(COLOR_NAMES)
            frac = rng.uniform(min_size, min_size + (MAX_SIZE - min_size) * shrink)
            size = frac * short
            R = _circumradius(shape, size)
            if 2 * R + 4 > min(w, h):
                ok = False
                break
            placed = False
            for _ in range(60):
                cx, cy = rng.uniform(R + 2, w - R - 2), rng.uniform(R + 2, h - R - 2)
                if all(_dist((cx, cy), (o['cx'], o['cy'])) >= R + o['R'] + 0.03 * short and
                       abs(cx - o['cx']) >= 0.07 * w for o in objs):
                    placed = True
                    break
            if not placed:
                ok = False
                break
            rot = 0.0
            if shape == 'square' and rng.random() < 0.3:
                rot = rng.uniform(0, 90)
            if shape == 'triangle' and rng.random() < 0.4:
                rot = rng.uniform(0, 360)
            objs.append(dict(shape=shape, color=color, cx=cx, cy=cy, size=size, R=R, rot=rot))
        if ok:
            break
    else:
        raise RuntimeError('could not place shapes')
    for o in objs:
        o['rgb'] = _jitter(COLORS[o['color']], rng)
    # background: contrast >= 110 (RGB distance) with every shape in the scene
    for _ in range(1000):
        r = rng.random()
        if r < 0.4:
            v = rng.randint(170, 255)
            bg = _jitter((v, v, v), rng, 25)
        elif r < 0.55:
            v = rng.randint(0, 70)
            bg = _jitter((v, v, v), rng, 20)
        else:
            bg = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        if all(_dist(bg, o['rgb']) >= 110 for o in objs):
            break
    tex = rng.choice(['plain', 'plain', 'noise', 'gradient', 'stripes', 'checker'])
    scene = dict(w=w, h=h, bg=bg, texture=tex, tex_amp=rng.uniform(3, 12), tex_period=rng.uniform(0.03, 0.2),
                 tex_angle=rng.uniform(0, math.pi), tex_seed=rng.randint(0, 2 ** 31 - 1), objects=objs)
    return scene


def _poly(o, s=1.0):
    cx, cy, size, rot = o['cx'] * s, o['cy'] * s, o['size'] * s, math.radians(o['rot'])
    if o['shape'] == 'square':
        R = size / math.sqrt(2)
        return [(cx + R * math.cos(rot + math.pi / 4 + k * math.pi / 2), cy + R * math.sin(rot + math.pi / 4 + k * math.pi / 2)) for k in range(4)]
    R = size / math.sqrt(3)
    # point up when rot == 0; centroid at (cx, cy)
    return [(cx + R * math.cos(rot - math.pi / 2 + k * 2 * math.pi / 3), cy + R * math.sin(rot - math.pi / 2 + k * 2 * math.pi / 3)) for k in range(3)]


def render(scene, scale=1.0):
    """Render at scale (1.0 = real size).  Returns an RGB PIL image."""
    W, H = max(1, int(round(scene['w'] * scale))), max(1, int(round(scene['h'] * scale)))
    bg = np.array(scene['bg'], np.float32)
    tex, amp = scene['texture'], scene['tex_amp']
    if tex == 'plain':
        img = Image.new('RGB', (W, H), tuple(scene['bg']))
    else:
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        xx /= max(W, H)
        yy /= max(W, H)
        if tex == 'noise':
            nr = np.random.default_rng(scene['tex_seed'])
            f = nr.standard_normal((H, W)).astype(np.float32) * amp * 0.7
        elif tex == 'gradient':
            a = scene['tex_angle']
            f = ((xx * math.cos(a) + yy * math.sin(a)) - 0.5) * amp * 4
        else:
            p = scene['tex_period']
            if tex == 'stripes':
                a = scene['tex_angle']
                f = np.sign(np.sin((xx * math.cos(a) + yy * math.sin(a)) * 2 * math.pi / p)) * amp
            else:
                f = np.sign(np.sin(xx * 2 * math.pi / p) * np.sin(yy * 2 * math.pi / p)) * amp
        arr = np.clip(bg[None, None, :] + f[:, :, None], 0, 255).astype(np.uint8)
        img = Image.fromarray(arr, 'RGB')
    d = ImageDraw.Draw(img)
    for o in scene['objects']:
        if o['shape'] == 'circle':
            r = o['size'] * scale / 2
            cx, cy = o['cx'] * scale, o['cy'] * scale
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=tuple(o['rgb']))
        else:
            d.polygon(_poly(o, scale), fill=tuple(o['rgb']))
    return img


def jpeg(img, q):
    b = io.BytesIO()
    img.save(b, format='JPEG', quality=int(q))
    b.seek(0)
    return Image.open(b).convert('RGB')


def label_grid(scene, g=16):
    """Per-cell (g x g grid over the squashed image) colour and shape labels at the cell centre
    (0 = background, colour 1..8, shape 1..3).  Used for the auxiliary training loss only."""
    col = np.zeros((g, g), np.int64)
    shp = np.zeros((g, g), np.int64)
    ys, xs = np.mgrid[0:g, 0:g].astype(np.float64)
    px = (xs + 0.5) / g * scene['w']
    py = (ys + 0.5) / g * scene['h']
    for o in scene['objects']:
        if o['shape'] == 'circle':
            inside = (px - o['cx']) ** 2 + (py - o['cy']) ** 2 <= (o['size'] / 2) ** 2
        else:
            P = _poly(o)
            inside = np.ones_like(px, bool)
            for k in range(len(P)):
                (x1, y1), (x2, y2) = P[k], P[(k + 1) % len(P)]
                c = (x2 - x1) * (py - y1) - (y2 - y1) * (px - x1)
                inside &= (c >= 0)
        inside[min(g - 1, int(o['cy'] / scene['h'] * g)), min(g - 1, int(o['cx'] / scene['w'] * g))] = True
        col[inside] = COLOR_NAMES.index(o['color']) + 1
        shp[inside] = SHAPES.index(o['shape']) + 1
    return col, shp


def centre_grid(scene, g=16):
    """1 in the grid cell that holds each object's centre (training target only)."""
    c = np.zeros((g, g), np.uint8)
    for o in scene['objects']:
        c[min(g - 1, int(o['cy'] / scene['h'] * g)), min(g - 1, int(o['cx'] / scene['w'] * g))] = 1
    return c


# ---------------------------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------------------------
def oow_question(rng, heldout=False, vocab_words=None, conversation=False):
    """An out-of-world question; conversation=True leaves out the fixed questions that a conversation answers
    (greetings, `where` questions: _NOT_UNKNOWN)."""
    r = rng.random()
    if heldout:
        return rng.choice(UNKNOWN_HELDOUT_CONV if conversation else UNKNOWN_HELDOUT)
    if r < 0.4:
        return rng.choice(UNKNOWN_TRAIN_CONV if conversation else UNKNOWN_TRAIN)
    if r < 0.8 or not vocab_words:
        c = rng.choice(COLOR_NAMES)
        templates, nouns = ((OOW_TEMPLATES + OOW_TEMPLATES_CONV, OOW_NOUNS + OOW_NOUNS_CONV) if conversation
                            else (OOW_TEMPLATES, OOW_NOUNS))
        return rng.choice(templates).format(n=rng.choice(nouns), c=c, a=article(c))
    words = [rng.choice(vocab_words) for _ in range(rng.randint(1, 6))]
    lead = rng.choice(['What', 'Who', 'Where', 'Why', 'How', 'Is', 'Can', 'Does', 'Tell me', ''])
    q = (lead + ' ' + ' '.join(words)).strip()
    return _cap(q) + rng.choice(['?', '?', '.', '!', ''])


def questions_for(scene, rng, types=None, canonical=False, vocab_words=None, heldout_unknown=False):
    """Return a list of dicts {question, answer, type}.  One question per type when possible."""
    objs = scene['objects']
    pick = (lambda lst: lst[0]) if canonical else rng.choice
    out = []
    types = types or ['color', 'shape', 'count', 'exists', 'describe', 'unknown']
    shape_counts = {s: sum(o['shape'] == s for o in objs) for s in SHAPES}
    color_counts = {c: sum(o['color'] == c for o in objs) for c in COLOR_NAMES}
    for t in types:
        if t == 'color':
            uniq = [o for o in objs if shape_counts[o['shape']] == 1]
            if uniq:
                o = rng.choice(uniq)
                out.append(dict(question=pick(Q_COLOR).format(s=o['shape']), answer=_cap(o['color']) + '.', type=t))
        elif t == 'shape':
            uniq = [o for o in objs if color_counts[o['color']] == 1]
            if uniq:
                o = rng.choice(uniq)
                out.append(dict(question=pick(Q_SHAPE).format(c=o['color']), answer=f"A {o['shape']}.", type=t))
        elif t == 'count':
            out.append(dict(question=pick(Q_COUNT), answer=NUMBERS[len(objs)] + '.', type=t))
        elif t == 'exists':
            c, s, ans = _exists_target(objs, rng)
            out.append(dict(question=pick(Q_EXISTS).format(a=article(c), c=c, s=s), answer=ans, type=t))
        elif t == 'describe':
            q = rng.choice(Q_DESCRIBE[:2]) if canonical else rng.choice(Q_DESCRIBE)
            out.append(dict(question=q, answer=describe_answer(objs), type=t))
        elif t == 'unknown':
            out.append(dict(question=oow_question(rng, heldout_unknown, vocab_words), answer=UNKNOWN_ANSWER, type=t))
    return out



# ---------------------------------------------------------------------------------------------
# Conversations (training phase 3 and the conversation test set): paraphrases, positions, colour
# lists, greetings, follow-ups.  questions_for above stays as it is: phases 1 and 2 use it.
# ---------------------------------------------------------------------------------------------
GREETING_ANSWER = ('Hello! I answer questions about pictures of circles, squares and triangles: '
                   'their colors, shapes, how many there are and where they are.')
GREETINGS = ['hi', 'Hi', 'Hi!', 'hello', 'Hello', 'Hello!', 'Hey', 'Hey!', 'hey there', 'Hi there!',
             'Good morning!', 'Good evening!', 'What can you do?', 'what can you do?', 'What can you do',
             'Who are you?', 'What are you?', 'Help', 'help', 'What can I ask?', 'What can I ask you?',
             'How do I use this?', 'What do you know?', 'Hi, how are you?', 'Hello, what can you do?',
             'Hi! What can you do?', 'What are you able to do?', 'What questions can you answer?']
# out-of-world training questions that are greetings or in-world questions in a conversation
_NOT_UNKNOWN = set(GREETINGS) | {'Where is the circle?', 'Where is the red object?', 'What is your name?', 'What is this?'}
UNKNOWN_TRAIN_CONV = [q for q in UNKNOWN_TRAIN if q not in _NOT_UNKNOWN]
UNKNOWN_HELDOUT_CONV = [q for q in UNKNOWN_HELDOUT if q not in _NOT_UNKNOWN]

Q_COLOR_IT = ['What color is it?', 'What colour is it?', 'Which color is it?', 'What is its color?']
Q_SHAPE_IT = ['What shape is it?', 'Which shape is it?', 'What shape is this?', 'What kind of shape is it?']
Q_COUNT_OF = ['How many {s}s are there?', 'How many {s}s do you see?', 'How many {s}s are in the image?',
              'Count the {s}s.', 'How many {s}s can you see?']
Q_EXISTS_SHAPE = ['Is there {a} {s}?', 'Is there {a} {s} in the image?', 'Do you see {a} {s}?',
                  'Are there any {s}s?', 'Can you see {a} {s}?']
Q_COLORS = ['Which colors do you see?', 'Which colours do you see?', 'What colors are there?',
            'What colours are in the image?', 'What colors do you see?', 'Which colors are in the image?']
Q_WHERE_SHAPE = ['Where is the {s}?', 'Where is the {s} in the image?', 'Where do you see the {s}?']
Q_WHERE_COLOR = ['Where is the {c} object?', 'Where is the {c} one?', 'Where is the {c} shape?']
Q_WHERE_PAIR = ['Where is the {c} {s}?']
NONE_ANSWER = 'None.'
CONV_TYPES = ['color', 'shape', 'count', 'count_shape', 'exists', 'exists_shape', 'colors', 'where',
              'describe', 'unknown', 'greeting']


def where_answer(o, w, h):
    """'On the left.' / 'On the right.' / 'At the top.' / 'At the bottom.': the side of the image the
    object's centre is nearest to, or None when that is not clear (near the middle or a diagonal)."""
    dx, dy = o['cx'] / w - 0.5, o['cy'] / h - 0.5
    if max(abs(dx), abs(dy)) < 0.15 or abs(abs(dx) - abs(dy)) < 0.1:
        return None
    if abs(dx) > abs(dy):
        return 'On the left.' if dx < 0 else 'On the right.'
    return 'At the top.' if dy < 0 else 'At the bottom.'


def colors_answer(objs):
    """The colours present, in the order of COLOR_NAMES: 'Red.', 'Red and blue.', 'Red, blue and black.'"""
    present = [c for c in COLOR_NAMES if any(o['color'] == c for o in objs)]
    s = present[0] if len(present) == 1 else ', '.join(present[:-1]) + ' and ' + present[-1]
    return _cap(s) + '.'


def conversation_question(scene, t, rng, vocab_words=None, heldout=False):
    """One question of type t about the scene (w, h, objects with cx/cy), as {question, answer, type},
    or None when the scene does not allow that type (e.g. colour of a shape that is not unique)."""
    objs, w, h = scene['objects'], scene['w'], scene['h']
    shape_counts = {s: sum(o['shape'] == s for o in objs) for s in SHAPES}
    color_counts = {c: sum(o['color'] == c for o in objs) for c in COLOR_NAMES}
    q = a = None
    if t == 'color':
        uniq = [o for o in objs if shape_counts[o['shape']] == 1]
        if len(objs) == 1 and rng.random() < 0.4:
            q, a = rng.choice(Q_COLOR_IT), _cap(objs[0]['color']) + '.'
        elif uniq:
            o = rng.choice(uniq)
            q, a = rng.choice(Q_COLOR).format(s=o['shape']), _cap(o['color']) + '.'
    elif t == 'shape':
        uniq = [o for o in objs if color_counts[o['color']] == 1]
        if len(objs) == 1 and rng.random() < 0.4:
            q, a = rng.choice(Q_SHAPE_IT), f"A {objs[0]['shape']}."
        elif uniq:
            o = rng.choice(uniq)
            q, a = rng.choice(Q_SHAPE).format(c=o['color']), f"A {o['shape']}."
    elif t == 'count':
        q, a = rng.choice(Q_COUNT), NUMBERS[len(objs)] + '.'
    elif t == 'count_shape':
        s = rng.choice(SHAPES)
        q, a = rng.choice(Q_COUNT_OF).format(s=s), (NUMBERS[shape_counts[s]] + '.' if shape_counts[s] else NONE_ANSWER)
    elif t == 'exists':
        c, s, a = _exists_target(objs, rng)
        q = rng.choice(Q_EXISTS).format(a=article(c), c=c, s=s)
    elif t == 'exists_shape':
        s = rng.choice(SHAPES) if rng.random() < 0.5 else rng.choice([o['shape'] for o in objs])
        q, a = rng.choice(Q_EXISTS_SHAPE).format(a=article(s), s=s), 'Yes.' if shape_counts[s] else 'No.'
    elif t == 'colors':
        q, a = rng.choice(Q_COLORS), colors_answer(objs)
    elif t == 'where':
        pair_counts = collections.Counter((o['color'], o['shape']) for o in objs)
        options = []
        for o in objs:
            ans = where_answer(o, w, h)
            if ans is None:
                continue
            if shape_counts[o['shape']] == 1:
                options.append((rng.choice(Q_WHERE_SHAPE).format(s=o['shape']), ans))
            if color_counts[o['color']] == 1:
                options.append((rng.choice(Q_WHERE_COLOR).format(c=o['color']), ans))
            if pair_counts[(o['color'], o['shape'])] == 1:
                options.append((Q_WHERE_PAIR[0].format(c=o['color'], s=o['shape']), ans))
        if options:
            q, a = rng.choice(options)
    elif t == 'describe':
        q, a = rng.choice(Q_DESCRIBE), describe_answer(objs)
    elif t == 'unknown':
        if heldout:
            q = rng.choice(UNKNOWN_HELDOUT_CONV)
        elif rng.random() < 0.4:
            q = rng.choice(UNKNOWN_TRAIN_CONV)
        else:
            q = oow_question(rng, vocab_words=vocab_words, conversation=True)
        a = UNKNOWN_ANSWER
    elif t == 'greeting':
        q, a = rng.choice(GREETINGS), GREETING_ANSWER
    return None if q is None else dict(question=q, answer=a, type=t)


CONV_WEIGHTS = dict(color=0.09, shape=0.09, count=0.05, count_shape=0.12, exists=0.08, exists_shape=0.06,
                    colors=0.08, where=0.16, describe=0.15, unknown=0.09, greeting=0.03)


TURN_WEIGHTS = (0.3, 0.45, 0.25)


def conversation(scene, rng, vocab_words=None, weights=CONV_WEIGHTS, turn_weights=TURN_WEIGHTS):
    """1-3 turns about one picture (list of {question, answer, type}; turn_weights: how often 1, 2 and 3); the
    first turn is often the captioning question, the way the window starts a conversation about an opened picture."""
    n = rng.choices([1, 2, 3], turn_weights)[0]
    types, probs = list(weights), list(weights.values())
    turns = []
    for _ in range(50 * n):   # weights may name only kinds that the scene does not allow (where: no clear side)
        if len(turns) == n:
            break
        t = 'describe' if not turns and rng.random() < 0.3 else rng.choices(types, probs)[0]
        q = conversation_question(scene, t, rng, vocab_words)
        if q:
            turns.append(q)
    return turns or [conversation_question(scene, 'count', rng)]


def _exists_target(objs, rng):
    """(colour, shape, 'Yes.'/'No.'), half of them present; negatives mostly share a colour or a shape."""
    present = {(o['color'], o['shape']) for o in objs}
    if rng.random() < 0.5:
        c, s = rng.choice(sorted(present))
        return c, s, 'Yes.'
    for _ in range(100):
        r = rng.random()
        if r < 0.4:
            c, s = rng.choice([o['color'] for o in objs]), rng.choice(SHAPES)
        elif r < 0.8:
            s = rng.choice([o['shape'] for o in objs])
            c = rng.choice(COLOR_NAMES)
        else:
            c, s = rng.choice(COLOR_NAMES), rng.choice(SHAPES)
        if (c, s) not in present:
            break
    return c, s, 'No.'


def text_only_question(rng, vocab_words=None):
    """A question without a picture: a greeting (answered with what the model can do) or anything else
    (in-world wording included), answered with the refusal."""
    r = rng.random()
    if r < 0.35:
        return dict(question=rng.choice(GREETINGS), answer=GREETING_ANSWER, type='greeting')
    if r < 0.75:
        q = rng.choice(UNKNOWN_TRAIN_CONV) if rng.random() < 0.4 else oow_question(rng, vocab_words=vocab_words,
                                                                                      conversation=True)
    else:
        c, s = rng.choice(COLOR_NAMES), rng.choice(SHAPES)
        q = rng.choice(Q_COLOR + Q_COUNT + Q_DESCRIBE + Q_SHAPE + Q_EXISTS + Q_COLORS + Q_WHERE_SHAPE +
                       Q_COUNT_OF + Q_COLOR_IT + Q_SHAPE_IT).format(s=s, c=c, a=article(c))
    return dict(question=q, answer=UNKNOWN_ANSWER, type='unknown')


# ---------------------------------------------------------------------------------------------
# Test-set writer
# ---------------------------------------------------------------------------------------------
def _public_scene(scene):
    return dict(width=scene['w'], height=scene['h'], background=list(scene['bg']), texture=scene['texture'],
                objects=[dict(shape=o['shape'], color=o['color'], cx=round(o['cx'], 1), cy=round(o['cy'], 1),
                              size=round(o['size'], 1)) for o in sorted(scene['objects'], key=lambda o: o['cx'])])


def _save(img, path, fmt, q=None):
    if fmt == 'jpg':
        img.save(path, format='JPEG', quality=int(q))
    else:
        img.save(path, format='PNG', optimize=True)


def write_testset(out, n, seed, special=False, small=True):
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    entries = []
    for i in range(n):
        if small and i >= 8:
            # keep the committed set small: most scenes <= 640 px, a few large ones (plain backgrounds)
            for _ in range(1000):
                w, h = sample_size(rng)
                if w * h <= 640 * 480:
                    break
            scene = sample_scene(rng, w=w, h=h)
        elif small:
            big = [(1920, 1080), (1080, 1920 // 2 + 0), (1600, 1200), (1280, 720), (1920, 1000), (960, 1080), (160, 120), (1024, 1024)]
            w, h = big[i]
            scene = sample_scene(rng, w=w, h=h)
            if w * h > 800 * 600:
                scene['texture'] = 'plain' if i % 2 == 0 else 'gradient'
        else:
            scene = sample_scene(rng)
        img = render(scene)
        fmt = 'jpg' if rng.random() < 0.5 else 'png'
        q = rng.randint(50, 95)
        name = f'scene_{i:04d}.{fmt}'
        _save(img, os.path.join(out, name), fmt, q)
        qs = questions_for(scene, rng, canonical=rng.random() < 0.6, heldout_unknown=rng.random() < 0.3)
        entries.append(dict(image=name, width=scene['w'], height=scene['h'], format=fmt, questions=qs,
                            scene=_public_scene(scene)))
    specials = []
    if special:
        # 1) red/blue only + the same image with R and B swapped (background grey so it is unchanged)
        srng = random.Random(seed + 1)
        for _ in range(100):
            scene = sample_scene(srng, n=3, w=480, h=320, colors=['red', 'blue', srng.choice(['red', 'blue'])])
            if len({o['shape'] for o in scene['objects']}) == 3:
                break
        for o in scene['objects']:
            o['rgb'] = (230, 30, 30) if o['color'] == 'red' else (30, 30, 230)
        scene['bg'] = (200, 200, 200)
        scene['texture'] = 'plain'
        img = render(scene)
        arr = np.asarray(img)
        swapped = Image.fromarray(np.ascontiguousarray(arr[:, :, ::-1]))
        swp = json.loads(json.dumps(scene))
        for o in swp['objects']:
            o['color'] = 'blue' if o['color'] == 'red' else 'red'
        for name, sc, im in (('special_rb.png', scene, img), ('special_rb_swapped.png', swp, swapped)):
            im.save(os.path.join(out, name), format='PNG', optimize=True)
            qs = [dict(question=Q_COLOR[0].format(s=o['shape']), answer=_cap(o['color']) + '.', type='color')
                  for o in sc['objects']]
            qs.append(dict(question=Q_DESCRIBE[0], answer=describe_answer(sc['objects']), type='describe'))
            specials.append(dict(image=name, width=sc['w'], height=sc['h'], format='png', questions=qs,
                                 scene=_public_scene(sc), special='rb_swap'))
        # 2) a scene and its mirror image (describe order reversed)
        scene = sample_scene(srng, n=3, w=640, h=360)
        img = render(scene)
        mir = json.loads(json.dumps(scene))
        for o in mir['objects']:
            o['cx'] = scene['w'] - o['cx']
        for name, sc, im in (('special_mirror.png', scene, img),
                             ('special_mirror_flipped.png', mir, img.transpose(Image.FLIP_LEFT_RIGHT))):
            im.save(os.path.join(out, name), format='PNG', optimize=True)
            qs = [dict(question=Q_DESCRIBE[0], answer=describe_answer(sc['objects']), type='describe'),
                  dict(question=Q_COUNT[0], answer=NUMBERS[len(sc['objects'])] + '.', type='count')]
            specials.append(dict(image=name, width=sc['w'], height=sc['h'], format='png', questions=qs,
                                 scene=_public_scene(sc), special='mirror'))
    trng = random.Random(seed + 2)
    text_only = [dict(question=q, answer=UNKNOWN_ANSWER, type='unknown') for q in
                 trng.sample(UNKNOWN_HELDOUT_CONV, 4) + ['What color is the circle?', 'Describe the image.']]
    doc = dict(version=1, generator='model-assets/demo/scenes.py', seed=seed,
               prompt_format='<|im_start|>User:<image>{question}<end_of_utterance>\\nAssistant:',
               answer_format=' {answer}<end_of_utterance>',
               scenes=entries, special=specials, text_only=text_only)
    with open(os.path.join(out, 'testset.json'), 'w') as f:
        json.dump(doc, f, indent=1)
    return doc


def write_conversation_testset(out, per_type, seed, follow_up=0.5, min_size=MIN_SIZE):
    """Held-out scenes (full size range) until every image question type of CONV_TYPES has at least
    per_type questions: each scene gets one question of every type it allows; with probability follow_up
    a question is a follow-up ("before": 1-2 earlier turns, the first one half of the time the captioning
    question "Describe the image.").  Text-only: per_type // 5 greetings and refusals, some as follow-ups."""
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    counts = collections.Counter()
    entries = []

    def with_before(q, scene):
        if rng.random() < follow_up:
            first = (conversation_question(scene, 'describe', rng) if rng.random() < 0.5 else None)
            before = [first or dict(question=Q_DESCRIBE[0], answer=describe_answer(scene['objects']), type='describe')]
            if first is not None or rng.random() < 0.5:
                while len(before) < 2:
                    extra = conversation_question(scene, rng.choice(CONV_TYPES), rng, heldout=True)
                    if extra:
                        before.append(extra)
            q['before'] = [dict(question=b['question'], answer=b['answer']) for b in before]
        return q

    while min(counts[t] for t in CONV_TYPES) < per_type:
        i = len(entries)
        scene = sample_scene(rng, min_size=min_size)
        img = render(scene)
        fmt = 'jpg' if rng.random() < 0.5 else 'png'
        name = f'scene_{i:04d}.{fmt}'
        _save(img, os.path.join(out, name), fmt, rng.randint(50, 95))
        qs = []
        for t in CONV_TYPES:
            q = conversation_question(scene, t, rng, heldout=rng.random() < 0.3)
            if q:
                qs.append(with_before(q, scene))
                counts[t] += 1
        entries.append(dict(image=name, width=scene['w'], height=scene['h'], format=fmt, questions=qs,
                            scene=_public_scene(scene)))
    text_only = []
    for k in range(max(1, per_type // 5)):
        q = text_only_question(rng)
        if k % 2:
            q['before'] = [dict(question=b['question'], answer=b['answer'])
                           for b in (text_only_question(rng) for _ in range(rng.randint(1, 2)))]
        text_only.append(q)
    doc = dict(version=2, generator='model-assets/demo/scenes.py', seed=seed,
               prompt_format='<|im_start|>User:<image>{question}<end_of_utterance>\\nAssistant:',
               follow_up_format='...{answer}<end_of_utterance>\\nUser: {question}<end_of_utterance>\\nAssistant:',
               answer_format=' {answer}<end_of_utterance>', scenes=entries, special=[], text_only=text_only)
    with open(os.path.join(out, 'testset.json'), 'w') as f:
        json.dump(doc, f, indent=1)
    return doc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', required=True)
    ap.add_argument('--n', type=int, default=64)
    ap.add_argument('--seed', type=int, default=20250601)
    ap.add_argument('--special', action='store_true', help='add the R/B-swap and mirror sanity scenes')
    ap.add_argument('--full-size', action='store_true',
                    help='sample every scene over the whole size range (default for --n > 100); '
                         'otherwise keep most images <= 640x480 so that the folder stays small')
    ap.add_argument('--conversations', type=int, metavar='PER_TYPE',
                    help='write the conversation test set instead: at least PER_TYPE questions of every type '
                         'in CONV_TYPES, half of them follow-ups (--n and --special are ignored)')
    ap.add_argument('--min-size', type=float, default=MIN_SIZE,
                    help='with --conversations: smallest shape, as a share of the short side (default %(default)s)')
    a = ap.parse_args()
    if a.conversations:
        doc = write_conversation_testset(a.out, a.conversations, a.seed, min_size=a.min_size)
        counts = collections.Counter(q['type'] for e in doc['scenes'] for q in e['questions'])
        print(f"wrote {len(doc['scenes'])} scenes, {dict(sorted(counts.items()))}, "
              f"{len(doc['text_only'])} text-only questions to {a.out}")
        return
    doc = write_testset(a.out, a.n, a.seed, special=a.special, small=not (a.full_size or a.n > 100))
    nq = sum(len(e['questions']) for e in doc['scenes'] + doc['special'])
    print(f"wrote {len(doc['scenes'])} scenes + {len(doc['special'])} special, {nq} questions to {a.out}")


if __name__ == '__main__':
    main()
