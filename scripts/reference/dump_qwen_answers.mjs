#!/usr/bin/env node
// dump_qwen_answers.mjs -- golden answers of transformers.js 4.3.2 for Glance's Qwen-VL engine tests: for each
// fixture, precision and case, the prompt's input_ids, its position ids (get_rope_index, with Python's text-only
// rule as tjs_answer.mjs applies it) and the greedy answer ids. Writes one JSON file.
// Usage: TJS_DIST=... node dump_qwen_answers.mjs OUT.json MODEL_DIR...
import fs from 'node:fs';
import path from 'node:path';

const T = await import(process.env.TJS_DIST ?? '@huggingface/transformers');
const { env, AutoProcessor, AutoModelForImageTextToText, RawImage, Tensor } = T;
const [out, ...models] = process.argv.slice(2);
const here = path.dirname(new URL(import.meta.url).pathname);
const cases = [
    { question: 'What is a cat?', image: null },
    { question: 'Describe the image.', image: path.join(here, 'images', 'exact-56x84.png') },
    { question: 'What color is the circle?', image: path.join(here, 'images', 'exif-rotated-160x96.jpg') },
];
const result = {};
env.allowRemoteModels = false;
for (const modelDir of models) {
    env.localModelPath = path.dirname(path.resolve(modelDir)) + '/';
    const id = path.basename(path.resolve(modelDir));
    const generation = JSON.parse(fs.readFileSync(path.join(modelDir, 'generation_config.json'), 'utf8'));
    const stop = new Set([generation.eos_token_id].flat());
    const processor = await AutoProcessor.from_pretrained(id);
    result[id] = {};
    for (const dtype of ['fp32', 'q4']) {
        const model = await AutoModelForImageTextToText.from_pretrained(id, { dtype, device: 'cpu' });
        model._get_text_only_rope_index = (input_ids) => {  // Python transformers' rule, as in tjs_answer.mjs
            const [batch, length] = input_ids.dims;
            return [new Tensor('int64', BigInt64Array.from({ length: 3 * batch * length }, (_, i) => BigInt(i % length)),
                [3, batch, length]), new Tensor('int64', new BigInt64Array(batch), [batch, 1])];
        };
        result[id][dtype] = [];
        for (const c of cases) {
            const content = c.image ? [{ type: 'image' }, { type: 'text', text: c.question }] : [{ type: 'text', text: c.question }];
            const prompt = processor.apply_chat_template([{ role: 'user', content }], { add_generation_prompt: true });
            const inputs = c.image ? await processor(prompt, [await RawImage.read(c.image)])
                : processor.tokenizer(prompt, { add_special_tokens: false });
            const [positions] = model.get_rope_index(inputs.input_ids, inputs.image_grid_thw ?? null, null,
                inputs.attention_mask);
            const output = await model.generate({ ...inputs, max_new_tokens: 12, do_sample: false });
            const length = inputs.input_ids.dims.at(-1);
            result[id][dtype].push({
                question: c.question, image: c.image ? path.basename(c.image) : null,
                input_ids: Array.from(inputs.input_ids.tolist()[0], Number),
                position_ids: positions.tolist().map((row) => Array.from(row[0], Number)),
                answer_ids: Array.from(output.tolist()[0], Number).slice(length).filter((t) => !stop.has(t)),
            });
        }
    }
}
fs.writeFileSync(out, JSON.stringify(result) + '\n');
