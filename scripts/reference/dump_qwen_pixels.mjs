#!/usr/bin/env node
// dump_qwen_pixels.mjs -- writes what transformers.js 4.3.2's Qwen2-VL image processor makes of pictures, as golden
// files for Glance's tests: per picture NAME.json ({"grid": [t, h, w], "shape": [patches, values]}) and NAME.f32
// (pixel_values, float32 little-endian).
// Usage: TJS_DIST=... node dump_qwen_pixels.mjs MODEL_DIR OUT_DIR IMAGE...
import fs from 'node:fs';
import path from 'node:path';
import { localImageProcessor } from './local_image_processor.mjs';

const [modelDir, outDir, ...images] = process.argv.slice(2);
const { processor, RawImage } = await localImageProcessor(modelDir);
fs.mkdirSync(outDir, { recursive: true });
for (const image of images) {
    const { pixel_values, image_grid_thw } = await processor(await RawImage.read(path.resolve(image)));
    const name = path.basename(image).replace(/\.[^.]+$/, '');
    const data = pixel_values.data;
    fs.writeFileSync(path.join(outDir, name + '.f32'), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    fs.writeFileSync(path.join(outDir, name + '.json'),
        JSON.stringify({ grid: Array.from(image_grid_thw.data, Number), shape: pixel_values.dims }) + '\n');
}
