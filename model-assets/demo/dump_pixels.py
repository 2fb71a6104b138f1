#!/usr/bin/python3
"""Preprocess a test-set folder with the reference pipeline into a raw float32 file for ort_check.mjs.

    /usr/bin/python3 dump_pixels.py testset build/testset.pixels.f32
Writes [n_scenes, 3, T, T] float32 (little endian) in testset.json order (scenes, then special).
"""
import json
import os
import sys

import numpy as np
from PIL import Image

from data import preprocess_reference

folder, out = sys.argv[1], sys.argv[2]
doc = json.load(open(os.path.join(folder, 'testset.json')))
arr = np.stack([preprocess_reference(Image.open(os.path.join(folder, e['image'])))
                for e in doc['scenes'] + doc.get('special', [])])
x = (arr.astype(np.float32) / 255.0 - 0.5) / 0.5
np.ascontiguousarray(x.transpose(0, 3, 1, 2)).astype('<f4').tofile(out)
print(out, x.shape)
