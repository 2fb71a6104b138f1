#!/usr/bin/env node
// dump_smolvlm_pixels.mjs -- writes what transformers.js 4.3.2's Idefics3 image processor (SmolVLM) makes of
// pictures, as golden files for Glance's tests: per picture and splitting mode NAME-split.json / NAME-nosplit.json
// ({"rows": r, "cols": c, "shape": [tiles, 3, h, w], "sha256": of pixel_values as float32 little-endian}); with
// WRITE_VALUES=1 also the values themselves, NAME-split.f32 / NAME-nosplit.f32. LONGEST_EDGE, when set, replaces the
// processor's size.longest_edge (larger resizes than the test model's own).
// Usage: [LONGEST_EDGE=N] TJS_DIST=... node dump_smolvlm_pixels.mjs MODEL_DIR OUT_DIR IMAGE...
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { localImageProcessor } from './local_image_processor.mjs';

const [modelDir, outDir, ...images] = process.argv.slice(2);
const { processor, RawImage } = await localImageProcessor(modelDir);
if (process.env.LONGEST_EDGE) processor.size = { longest_edge: Number(process.env.LONGEST_EDGE) };
fs.mkdirSync(outDir, { recursive: true });
for (const image of images) {
    const name = path.basename(image).replace(/\.[^.]+$/, '');
    const raw = await RawImage.read(path.resolve(image));
    for (const split of [true, false]) {
        const out = await processor(raw, { do_image_splitting: split, return_row_col_info: true });
        const data = out.pixel_values.data;
        const tag = name + (split ? '-split' : '-nosplit');
        const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        if (process.env.WRITE_VALUES === '1') fs.writeFileSync(path.join(outDir, tag + '.f32'), bytes);
        fs.writeFileSync(path.join(outDir, tag + '.json'), JSON.stringify({
            rows: out.rows[0][0], cols: out.cols[0][0], shape: out.pixel_values.dims.slice(1),
            sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        }) + '\n');
    }
}
