#!/usr/bin/env node
// bench_tjs.mjs -- one timed transformers.js (onnxruntime-node, CPU) generation on a random-weight model of real
// size (SmolVLM-256M from scripts/bench/make_perf_model.py, Qwen2-VL-2B from make_qwenvl_model.py), fully offline.  One run per process, so load time and peak RSS are honest.
//
// Needs TJS_DIST=<node_modules>/@huggingface/transformers/dist/transformers.node.mjs (ESM ignores NODE_PATH):
// scripts/reference/install-transformers-js.sh installs the pinned version into .tjs/ and prints that path.
//
// Usage:
//   node bench_tjs.mjs --model MODEL_DIR --image IMAGE_FILE
//                      [--dtype fp32|int8|q4|'{"vision_encoder":"q4","embed_tokens":"fp32","decoder_model_merged":"q4"}']
//                      [--max-new 32] [--threads N] [--no-spin] [--session-options JSON]
//                      [--split on|off] [--question "..."]
//   dtype presets: fp32 = all fp32; int8 = all _int8; q4 = {vision_encoder:q4, embed_tokens:fp32,
//   decoder_model_merged:q4}.  Any JSON object (per-graph dtype map) is passed through unchanged.
//   --threads N sets session_options.intraOpNumThreads (transformers.js sets nothing by default);
//   --no-spin sets the ORT config entry session.intra_op.allow_spinning=0 for all three sessions.
//
// Prints ONE JSON object on stdout.  Times are wall-clock ms (performance.now()):
//   load_ms            AutoProcessor.from_pretrained + AutoModelForImageTextToText.from_pretrained (3 ORT sessions)
//   preprocess_ms      RawImage.read + chat template + processor(...) (resize, normalize, tokenize)
//   vision_ms          time inside vision_encoder session.run
//   embed_ms           total time inside embed_tokens session.run (prefill + every step)
//   prefill_ms         first decoder_model_merged session.run (whole prompt, image features merged)
//   ttft_ms            generate() start -> first generated token delivered to the streamer
//                      (vision + embed + merge + prefill + logits processing + sampling)
//   decode_tokens_per_s  (generated - 1) / (time of last token - time of first token)
//   decode_step_ms_median  median of the per-token decoder session.run times (pure ORT)
//   total_ms           generate() start -> return;   e2e_ms = preprocess_ms + total_ms
//   maxRSS_MB          process.resourceUsage().maxRSS (peak over the process: load + inference)
//   rss_after_load_MB  process.memoryUsage().rss right after loading
import path from 'node:path';

const T = await import(process.env.TJS_DIST ?? '@huggingface/transformers');
const { env, AutoProcessor, AutoModelForImageTextToText, RawImage } = T;

const opt = {
    model: null,
    image: null,
    dtype: 'q4',
    maxNew: 32,
    threads: null,
    split: 'off',
    question: 'Can you describe this image?',
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--model') opt.model = v();
    else if (a === '--image') opt.image = v();
    else if (a === '--dtype') opt.dtype = v();
    else if (a === '--max-new') opt.maxNew = parseInt(v(), 10);
    else if (a === '--threads') opt.threads = parseInt(v(), 10);
    else if (a === '--split') opt.split = v();
    else if (a === '--question') opt.question = v();
    else if (a === '--no-spin') opt.noSpin = true;
    else if (a === '--session-options') opt.sessionOptions = JSON.parse(v());
    else { console.error('unknown arg ' + a); process.exit(2); }
}
const PRESETS = {
    fp32: 'fp32',
    int8: 'int8',
    q4: { vision_encoder: 'q4', embed_tokens: 'fp32', decoder_model_merged: 'q4' },
};
const dtype = opt.dtype in PRESETS ? PRESETS[opt.dtype] : JSON.parse(opt.dtype);

const modelDir = path.resolve(opt.model);
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.dirname(modelDir) + '/';
env.useFSCache = false;
env.useBrowserCache = false;
const modelId = path.basename(modelDir);

const now = () => performance.now();
const MB = (b) => Math.round(b / 2 ** 20);

// ---------------------------------------------------------------- load
const tLoad0 = now();
const processor = await AutoProcessor.from_pretrained(modelId);
const tProc = now();
const session_options = {};
if (opt.threads) session_options.intraOpNumThreads = opt.threads;
// ORT config entry session.intra_op.allow_spinning=0: idle pool threads block instead of spinning
if (opt.noSpin) session_options.extra = { session: { intra_op: { allow_spinning: '0' } } };
if (opt.sessionOptions) Object.assign(session_options, opt.sessionOptions);
const model = await AutoModelForImageTextToText.from_pretrained(modelId, { dtype, device: 'cpu', session_options });
const tLoad1 = now();
const rssAfterLoad = process.memoryUsage().rss;

// time every ORT session.run (transformers.js calls session.run(feeds) through sessionRun)
const calls = { vision_encoder: [], embed_tokens: [], decoder_model_merged: [] };
for (const [name, sess] of Object.entries(model.sessions)) {
    const orig = sess.run.bind(sess);
    sess.run = async (feeds, ...rest) => {
        const t = now();
        const out = await orig(feeds, ...rest);
        (calls[name] ??= []).push({ t0: t, ms: now() - t, seq: feeds.inputs_embeds?.dims?.[1] ?? feeds.input_ids?.dims?.[1] });
        return out;
    };
}

// ---------------------------------------------------------------- preprocess
const tPre0 = now();
const image = await RawImage.read(path.resolve(opt.image));
const tRead = now();
const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: opt.question }] }];
const prompt = processor.apply_chat_template(messages, { add_generation_prompt: true });
const inputs = await processor(prompt, [image], { do_image_splitting: opt.split === 'on' });
const tPre1 = now();

// ---------------------------------------------------------------- generate
const tokenTimes = [];
const streamer = {
    first: true,
    put(value) {
        if (this.first) { this.first = false; return; }  // generate() first pushes the prompt ids
        tokenTimes.push(now());
    },
    end() {},
};
const tGen0 = now();
const out = await model.generate({
    ...inputs,
    max_new_tokens: opt.maxNew,
    min_new_tokens: opt.maxNew,   // EOS cannot stop it early
    do_sample: false,
    streamer,
});
const tGen1 = now();

const promptLen = inputs.input_ids.dims.at(-1);
const gen = Array.from(out.tolist()[0], Number).slice(promptLen);
const dec = calls.decoder_model_merged;
const steps = dec.slice(1).map((c) => c.ms).sort((a, b) => a - b);
const nTok = tokenTimes.length;
const ru = process.resourceUsage();
// per generated token (after the first): wall interval between streamer puts, split into the decoder
// session.run, the embed_tokens session.run and everything else (JS: logits slice/processors/argmax,
// attention_mask/position_ids/KV bookkeeping, tensor wrapping)
const med = (a) => { const b = [...a].sort((x, y) => x - y); return b.length ? b[b.length >> 1] : NaN; };
const intervals = [], decMs = [], embMs = [], other = [];
for (let k = 1; k < nTok; ++k) {
    const a = tokenTimes[k - 1], b = tokenTimes[k];
    const inWin = (c) => c.t0 >= a && c.t0 < b;
    const d = dec.filter(inWin).reduce((s, c) => s + c.ms, 0);
    const e = calls.embed_tokens.filter(inWin).reduce((s, c) => s + c.ms, 0);
    intervals.push(b - a); decMs.push(d); embMs.push(e); other.push(b - a - d - e);
}
const r1 = (x) => Math.round(x * 10) / 10;
const res = {
    dtype: opt.dtype,
    files: Object.fromEntries(Object.entries(model.sessions).map(([k, s]) => [k, s.config?.dtype])),
    threads: opt.threads ?? 'default (transformers.js sets none -> ORT default)',
    session_options,
    image: path.basename(opt.image),
    pixel_values_dims: inputs.pixel_values.dims,
    prompt_tokens: promptLen,
    image_tokens: Array.from(inputs.input_ids.data, Number).filter((x) => x === model.config.image_token_id).length,
    generated_tokens: gen.length,
    streamed_tokens: nTok,
    processor_load_ms: r1(tProc - tLoad0),
    load_ms: r1(tLoad1 - tLoad0),
    preprocess_ms: r1(tPre1 - tPre0),
    image_read_ms: r1(tRead - tPre0),
    vision_ms: r1(calls.vision_encoder.reduce((s, c) => s + c.ms, 0)),
    embed_ms: r1(calls.embed_tokens.reduce((s, c) => s + c.ms, 0)),
    embed_calls: calls.embed_tokens.length,
    prefill_ms: r1(dec[0]?.ms ?? NaN),
    decoder_calls: dec.length,
    ttft_ms: r1(tokenTimes[0] - tGen0),
    decode_tokens_per_s: nTok > 1 ? Math.round(((nTok - 1) / (tokenTimes[nTok - 1] - tokenTimes[0])) * 1000 * 100) / 100 : null,
    decode_step_ms_median: steps.length ? Math.round(steps[steps.length >> 1] * 100) / 100 : null,
    ...(process.env.BENCH_DEBUG ? { dbg_intervals: intervals.map(r1), dbg_dec: decMs.map(r1), dbg_emb: embMs.map(r1) } : {}),
    per_token_ms_median: { interval: r1(med(intervals)), decoder_run: r1(med(decMs)), embed_run: r1(med(embMs)), other_js: r1(med(other)) },
    total_ms: r1(tGen1 - tGen0),
    e2e_ms: r1(tPre1 - tPre0 + tGen1 - tGen0),
    rss_after_load_MB: MB(rssAfterLoad),
    maxRSS_MB: Math.round(ru.maxRSS / 1024),
    user_cpu_s: r1(ru.userCPUTime / 1e6),
    sys_cpu_s: r1(ru.systemCPUTime / 1e6),
    generated_ids_head: gen.slice(0, 8),
};
console.log(JSON.stringify(res));
