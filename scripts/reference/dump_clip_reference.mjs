#!/usr/bin/env node
// dump_clip_reference.mjs -- reference outputs of transformers.js 4.3.2 for Glance's CLIP-family engine: for each
// model folder and precision, the normalized image embeddings of every test picture (CLIPVisionModelWithProjection /
// SiglipVisionModel), the input ids and normalized embeddings of texts with punctuation, casing and more tokens
// than the model takes (CLIPTextModelWithProjection / SiglipTextModel, tokenized as the zero-shot pipeline does),
// and the zero-shot-image-classification pipeline's scores. With PIXELS_DIR, also writes each picture's
// pixel_values as little-endian float32 (NAME.f32) there. Writes one JSON file per model: OUT_DIR/ID.json.
// Usage: TJS_DIST=... [PIXELS_DIR=dir] [DTYPES=fp32,q8] node dump_clip_reference.mjs OUT_DIR MODEL_DIR...
import fs from 'node:fs';
import path from 'node:path';

const T = await import(process.env.TJS_DIST ?? '@huggingface/transformers');
const { env, AutoTokenizer, AutoProcessor, AutoModel, RawImage, pipeline } = T;
const [outDir, ...models] = process.argv.slice(2);
const here = path.dirname(new URL(import.meta.url).pathname);
const imageDir = path.join(here, 'images');
const images = fs.readdirSync(imageDir).filter((f) => /\.(png|jpe?g)$/.test(f)).sort();
export const TEXTS = [
    'a red circle',
    'A RED Circle!!',
    'a photo of a dog, a cat... and a car?',
    '  blue   square  ',
    "the cat's triangle isn't green",
    'Zebra quokka 42',
    Array.from({ length: 100 }, (_, i) => ['red', 'green', 'blue', 'circle', 'square'][i % 5]).join(' '),
];
const ZERO_SHOT = [
    { labels: ['red circle', 'blue square', 'a cat', 'green triangle'], template: null },
    { labels: ['dog', 'car'], template: 'a photo of the {}.' },
];
const dtypes = (process.env.DTYPES ?? 'fp32,q8').split(',');

const normalize = (row) => {
    const norm = Math.sqrt(row.reduce((sum, x) => sum + x * x, 0));
    return row.map((x) => x / norm);
};
const rows = (tensor) => tensor.tolist().map((row) => normalize(Array.from(row, Number)));

env.allowRemoteModels = false;
fs.mkdirSync(outDir, { recursive: true });
for (const modelDir of models) {
    env.localModelPath = path.dirname(path.resolve(modelDir)) + '/';
    const id = path.basename(path.resolve(modelDir));
    const config = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8'));
    const siglip = config.model_type === 'siglip';
    const tokenizer = await AutoTokenizer.from_pretrained(id);
    const processor = await AutoProcessor.from_pretrained(id);
    const { [siglip ? 'SiglipTextModel' : 'CLIPTextModelWithProjection']: TextModel,
            [siglip ? 'SiglipVisionModel' : 'CLIPVisionModelWithProjection']: VisionModel } = T;
    const textOutput = siglip ? 'pooler_output' : 'text_embeds';
    const imageOutput = siglip ? 'pooler_output' : 'image_embeds';
    if (process.env.PIXELS_DIR) {
        fs.mkdirSync(path.join(process.env.PIXELS_DIR, id), { recursive: true });
        for (const image of images) {
            const { pixel_values } = await processor(await RawImage.read(path.join(imageDir, image)));
            fs.writeFileSync(path.join(process.env.PIXELS_DIR, id, image.replace(/\.\w+$/, '.f32')),
                Buffer.from(pixel_values.data.buffer));
        }
    }
    const result = { model_type: config.model_type };
    for (const dtype of dtypes) {
        const textModel = await TextModel.from_pretrained(id, { dtype, device: 'cpu' });
        const visionModel = await VisionModel.from_pretrained(id, { dtype, device: 'cpu' });
        const classifier = await pipeline('zero-shot-image-classification', id, { dtype, device: 'cpu' });
        const entry = { images: [], texts: [], zero_shot: [] };
        for (const image of images) {
            const inputs = await processor(await RawImage.read(path.join(imageDir, image)));
            entry.images.push({ image, embedding: rows((await visionModel(inputs))[imageOutput])[0] });
        }
        for (const text of TEXTS) {
            const inputs = tokenizer([text], { padding: siglip ? 'max_length' : true, truncation: true });
            entry.texts.push({
                text, input_ids: Array.from(inputs.input_ids.tolist()[0], Number),
                embedding: rows((await textModel(inputs))[textOutput])[0],
            });
        }
        for (const image of images) {
            for (const { labels, template } of ZERO_SHOT) {
                const options = template ? { hypothesis_template: template } : {};
                const scores = await classifier(path.join(imageDir, image), labels, options);
                entry.zero_shot.push({ image, labels, template, scores: scores.map((s) => ({ label: s.label, score: s.score })) });
            }
        }
        result[dtype] = entry;
    }
    fs.writeFileSync(path.join(outDir, id + '.json'), JSON.stringify(result) + '\n');
    console.error(`${id}: ${dtypes.join(', ')}: ${images.length} pictures, ${TEXTS.length} texts`);
}
