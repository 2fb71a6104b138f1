// Runs the exported ONNX files with onnxruntime-node exactly the way an engine does (expanded prompt
// tokenized by the HF tokenizer from transformers.js, vision -> embed -> merge -> decoder prefill with
// empty past, then greedy decoding with the KV cache, stop on <end_of_utterance>), and reports
// accuracy per question type.
//   NODE_PATH=/tmp/ortnode/node_modules node ort_check.mjs <modelDir> <testsetDir> <pixels.f32> <precision: fp32|int8|q4> [limitScenes]
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';
const require = createRequire(process.env.NODE_PATH ? process.env.NODE_PATH + '/' : import.meta.url);
const ort = require('onnxruntime-node');
const { AutoTokenizer, env } = await import(process.env.NODE_PATH + '/@huggingface/transformers/dist/transformers.node.mjs');

const [modelDir, testDir, pixFile, prec = 'fp32', limit = '100000'] = process.argv.slice(2);
const sfx = { fp32: '', int8: '_int8', q4: '_q4' }[prec];
env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(modelDir)) + '/';
const tok = await AutoTokenizer.from_pretrained(path.basename(path.resolve(modelDir)));
const cfg = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json')));
const proc = JSON.parse(fs.readFileSync(path.join(modelDir, 'processor_config.json')));
const T = cfg.vision_config.image_size, SEQ = proc.image_seq_len;
const L = cfg.text_config.num_hidden_layers, KVH = cfg.text_config.num_key_value_heads, HD = cfg.text_config.head_dim;
const opt = { graphOptimizationLevel: 'all', intraOpNumThreads: 1 };
const vis = await ort.InferenceSession.create(path.join(modelDir, `onnx/vision_encoder${sfx}.onnx`), opt);
const emb = await ort.InferenceSession.create(path.join(modelDir, `onnx/embed_tokens${sfx}.onnx`), opt);
const dec = await ort.InferenceSession.create(path.join(modelDir, `onnx/decoder_model_merged${sfx}.onnx`), opt);
const doc = JSON.parse(fs.readFileSync(path.join(testDir, 'testset.json')));
const entries = doc.scenes.concat(doc.special || []);
const pix = new Float32Array(fs.readFileSync(pixFile).buffer.slice(0));
const imgBlock = '<fake_token_around_image><global-img>' + '<image>'.repeat(SEQ) + '<fake_token_around_image>';
const EOU = 49279, IMG = 49190;

async function embed(ids) {
  const t = new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
  return (await emb.run({ input_ids: t })).inputs_embeds;
}
async function generate(ids, feats, maxNew = 32) {
  const e = await embed(ids);
  const H = e.dims[2];
  const data = e.data;
  if (feats) { let k = 0; for (let i = 0; i < ids.length; i++) if (ids[i] === IMG) { data.set(feats.subarray(k * H, (k + 1) * H), i * H); k++; }
               if (k !== feats.length / H) throw new Error(`image tokens ${k} != feature rows ${feats.length / H}`); }
  let past = {};
  for (let i = 0; i < L; i++) for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, KVH, 0, HD]);
  let inp = e, n = ids.length, out = [];
  let pos = Array.from({ length: n }, (_, i) => i);
  for (let step = 0; step < maxNew; step++) {
    const total = pos[pos.length - 1] + 1;
    const feeds = { inputs_embeds: inp,
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(pos.map(BigInt)), [1, pos.length]), ...past };
    const r = await dec.run(feeds);
    const V = r.logits.dims[2], S = r.logits.dims[1];
    const lg = r.logits.data.subarray((S - 1) * V, S * V);
    let best = 0; for (let j = 1; j < V; j++) if (lg[j] > lg[best]) best = j;
    if (best === EOU) return { ids: out, stopped: true };
    out.push(best);
    for (let i = 0; i < L; i++) for (const kv of ['key', 'value']) past[`past_key_values.${i}.${kv}`] = r[`present.${i}.${kv}`];
    inp = await embed([best]);
    pos = [total];
  }
  return { ids: out, stopped: false };
}
const res = {}; const wrong = [];
const add = (t, ok) => { res[t] = res[t] || [0, 0]; res[t][0] += ok ? 1 : 0; res[t][1] += 1; };
const nS = Math.min(entries.length, parseInt(limit));
const t0 = Date.now();
for (let s = 0; s < nS; s++) {
  const e = entries[s];
  const px = pix.subarray(s * 3 * T * T, (s + 1) * 3 * T * T);
  const vr = await vis.run({ pixel_values: new ort.Tensor('float32', px, [1, 1, 3, T, T]),
                             pixel_attention_mask: new ort.Tensor('bool', new Uint8Array(T * T).fill(1), [1, 1, T, T]) });
  const f = vr.image_features;
  if (s === 0) console.log('image_features dims', f.dims);
  for (const q of e.questions) {
    const prompt = tok.apply_chat_template([{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: q.question }] }],
                                           { tokenize: false, add_generation_prompt: true });
    const ids = tok.encode(prompt.replace('<image>', imgBlock), { add_special_tokens: false });
    const g = await generate(ids, f.data);
    const text = g.ids.length ? tok.decode(g.ids, { skip_special_tokens: false }) : '';
    const ok = g.stopped && text === ' ' + q.answer;
    add(e.special ? 'special_' + e.special : q.type, ok);
    if (!ok) wrong.push([e.image, q.question, q.answer, text]);
  }
}
for (const q of (doc.text_only || [])) {
  const prompt = tok.apply_chat_template([{ role: 'user', content: [{ type: 'text', text: q.question }] }], { tokenize: false, add_generation_prompt: true });
  const g = await generate(tok.encode(prompt, { add_special_tokens: false }), null);
  const text = g.ids.length ? tok.decode(g.ids, { skip_special_tokens: false }) : '';
  const ok = g.stopped && text === ' ' + q.answer; add('text_only', ok); if (!ok) wrong.push(['-', q.question, q.answer, text]);
}
const summary = Object.fromEntries(Object.entries(res).sort().map(([k, [c, n]]) => [k, `${c}/${n} = ${(100 * c / n).toFixed(1)}%`]));
console.log(JSON.stringify({ precision: prec, scenes: nS, seconds: (Date.now() - t0) / 1000, accuracy: summary }, null, 1));
for (const w of wrong.slice(0, 15)) console.log('WRONG', JSON.stringify(w));
