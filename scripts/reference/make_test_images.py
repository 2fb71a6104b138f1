#!/usr/bin/python3
"""Writes the pictures the Qwen-VL reference comparison runs on into scripts/reference/images/: shapes on a
background, in the sizes where implementations part ways: tiny (upscaled to the minimum), very tall and very wide,
exact multiples of 28, sizes that round half-way (70 = 2.5 × 28, 126 = 4.5 × 28), larger than the model's pixel
limit, and a JPEG whose EXIF Orientation tag (6: rotate 90° clockwise) must be applied before anything else.
Deterministic. Needs Pillow (Debian: python3-pil).

Usage: python3 scripts/reference/make_test_images.py
"""
import os

from PIL import Image, ImageDraw

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'images')
SIZES = {'tiny-8x8.png': (8, 8), 'tiny-20x30.png': (20, 30), 'tall-30x900.png': (30, 900),
         'wide-900x30.png': (900, 30), 'exact-56x84.png': (56, 84), 'ties-70x126.png': (70, 126),
         'large-1200x800.jpg': (1200, 800)}


def scene(width, height):
    image = Image.new('RGB', (width, height), (236, 232, 220))
    draw = ImageDraw.Draw(image)
    draw.ellipse([width * 0.1, height * 0.2, width * 0.45, height * 0.7], fill=(200, 30, 40))
    draw.rectangle([width * 0.55, height * 0.3, width * 0.9, height * 0.85], fill=(30, 70, 190))
    draw.polygon([(width * 0.3, height * 0.95), (width * 0.5, height * 0.6), (width * 0.7, height * 0.95)],
                 fill=(40, 160, 60))
    return image


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (width, height) in SIZES.items():
        scene(width, height).save(os.path.join(OUT, name), quality=90)
    # Stored 160 wide and 96 tall, shown after rotation 96 wide and 160 tall.
    exif = Image.Exif()
    exif[0x0112] = 6
    scene(160, 96).save(os.path.join(OUT, 'exif-rotated-160x96.jpg'), quality=90, exif=exif.tobytes())


if __name__ == '__main__':
    main()
