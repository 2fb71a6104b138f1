#!/usr/bin/env node
// tjs_answer.mjs -- the independent reference: answers one question with transformers.js (onnxruntime-node,
// CPU, offline) on a model folder in the published SmolVLM layout, greedy, and prints one JSON object:
// {"prompt_tokens": N, "token_ids": [...], "text": "..."} (token_ids exclude the stop token).
//
// Needs TJS_DIST=<node_modules>/@huggingface/transformers/dist/transformers.node.mjs
// (scripts/reference/install-transformers-js.sh installs the pinned version and prints that path).
// Usage: node tjs_answer.mjs --model DIR [--image FILE] [--split on|off] [--dtype fp32|q4|int8|uint8|q8]
//                            [--max-new N] --question "..."
import path from 'node:path';

const T = await import(process.env.TJS_DIST ?? '@huggingface/transformers');
const { env, AutoProcessor, AutoModelForVision2Seq, RawImage } = T;

const opt = { model: null, image: null, split: 'off', dtype: 'fp32', maxNew: 24, question: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; ++i) {
    const next = () => argv[++i];
    switch (argv[i]) {
        case '--model': opt.model = next(); break;
        case '--image': opt.image = next(); break;
        case '--split': opt.split = next(); break;
        case '--dtype': opt.dtype = next(); break;
        case '--max-new': opt.maxNew = parseInt(next(), 10); break;
        case '--question': opt.question = next(); break;
        default: console.error('unknown argument ' + argv[i]); process.exit(2);
    }
}
const modelDir = path.resolve(opt.model);
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.dirname(modelDir) + '/';
env.useFSCache = false;
const id = path.basename(modelDir);
const dtype = opt.dtype === 'q4' ? { vision_encoder: 'q4', embed_tokens: 'q4', decoder_model_merged: 'q4' } : opt.dtype;

const processor = await AutoProcessor.from_pretrained(id);
const model = await AutoModelForVision2Seq.from_pretrained(id, { dtype, device: 'cpu' });
const content = opt.image ? [{ type: 'image' }, { type: 'text', text: opt.question }] : [{ type: 'text', text: opt.question }];
const prompt = processor.apply_chat_template([{ role: 'user', content }], { add_generation_prompt: true });
const inputs = opt.image
    ? await processor(prompt, [await RawImage.read(path.resolve(opt.image))], { do_image_splitting: opt.split === 'on' })
    : processor.tokenizer(prompt, { add_special_tokens: false });
const out = await model.generate({ ...inputs, max_new_tokens: opt.maxNew, do_sample: false });
const promptLength = inputs.input_ids.dims.at(-1);
const stop = new Set([49279, 2]);
const ids = Array.from(out.tolist()[0], Number).slice(promptLength).filter((t) => !stop.has(t));
const text = processor.tokenizer.decode(ids, { skip_special_tokens: true }).trim();
console.log(JSON.stringify({ prompt_tokens: promptLength, token_ids: ids, text }));
