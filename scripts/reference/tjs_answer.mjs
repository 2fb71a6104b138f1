#!/usr/bin/env node
// tjs_answer.mjs -- the independent reference: answers one question with transformers.js (onnxruntime-node,
// CPU, offline) on a model folder in the published SmolVLM or Qwen-VL layout, greedy, and prints one JSON object:
// {"prompt_tokens": N, "token_ids": [...], "text": "...", "image_tokens": N, "grid": [t, h, w] or null}
// (token_ids exclude the stop tokens of generation_config.json).
//
// Qwen-VL text-only prompts: transformers.js 4.3.2 gives a prompt without pictures the rope delta
// max(position) + 1 + length, where Python transformers uses 0 (positions 0..L-1, decoding at past_length). Glance
// follows Python; this runner does too, by replacing that one method on the loaded model, unless --tjs-text-rope
// asks for the reference's own rule.
//
// Needs TJS_DIST=<node_modules>/@huggingface/transformers/dist/transformers.node.mjs
// (scripts/reference/install-transformers-js.sh installs the pinned version and prints that path).
// Usage: node tjs_answer.mjs --model DIR [--image FILE] [--split on|off] [--dtype fp32|q4|int8|uint8|q8]
//                            [--max-new N] [--tjs-text-rope] --question "..."
import fs from 'node:fs';
import path from 'node:path';

const T = await import(process.env.TJS_DIST ?? '@huggingface/transformers');
const { env, AutoProcessor, AutoModelForImageTextToText, RawImage, Tensor } = T;

const opt = { model: null, image: null, split: 'off', dtype: 'fp32', maxNew: 24, question: null, tjsTextRope: false };
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
        case '--tjs-text-rope': opt.tjsTextRope = true; break;
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

const config = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8'));
const qwen = config.model_type.startsWith('qwen');
const processor = await AutoProcessor.from_pretrained(id);
// TJS_GRAPH_OPTIMIZATION (all, extended, basic, disabled) sets the sessions' graph optimization level, to tell
// numeric differences of ONNX Runtime's graph fusions from differences of the pipelines.
const session_options = process.env.TJS_GRAPH_OPTIMIZATION
    ? { graphOptimizationLevel: process.env.TJS_GRAPH_OPTIMIZATION } : undefined;
const model = await AutoModelForImageTextToText.from_pretrained(id, { dtype, device: 'cpu', session_options });
if (qwen && !opt.tjsTextRope) {
    // Python transformers' text-only rule: the same positions 0..L-1 in all three rows, rope delta 0.
    model._get_text_only_rope_index = (input_ids) => {
        const [batch, length] = input_ids.dims;
        const positions = BigInt64Array.from({ length: 3 * batch * length }, (_, i) => BigInt(i % length));
        return [new Tensor('int64', positions, [3, batch, length]),
                new Tensor('int64', new BigInt64Array(batch), [batch, 1])];
    };
}
const content = opt.image ? [{ type: 'image' }, { type: 'text', text: opt.question }] : [{ type: 'text', text: opt.question }];
const prompt = processor.apply_chat_template([{ role: 'user', content }], { add_generation_prompt: true });
const imageOptions = qwen ? {} : { do_image_splitting: opt.split === 'on' };
const inputs = opt.image
    ? await processor(prompt, [await RawImage.read(path.resolve(opt.image))], imageOptions)
    : processor.tokenizer(prompt, { add_special_tokens: false });
const out = await model.generate({ ...inputs, max_new_tokens: opt.maxNew, do_sample: false });
const promptLength = inputs.input_ids.dims.at(-1);
const generation = JSON.parse(fs.readFileSync(path.join(modelDir, 'generation_config.json'), 'utf8'));
const stop = new Set([generation.eos_token_id].flat());
const ids = Array.from(out.tolist()[0], Number).slice(promptLength).filter((t) => !stop.has(t));
const text = processor.tokenizer.decode(ids, { skip_special_tokens: true }).trim();
const imageToken = config.image_token_id;
const imageTokens = Array.from(inputs.input_ids.tolist()[0], Number).filter((t) => t === imageToken).length;
const grid = inputs.image_grid_thw ? Array.from(inputs.image_grid_thw.tolist()[0], Number) : null;
console.log(JSON.stringify({ prompt_tokens: promptLength, token_ids: ids, text, image_tokens: imageTokens, grid }));
