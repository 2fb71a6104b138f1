// ONNX Runtime vs torch on build/parity.json (see parity.py).
//   NODE_PATH=/tmp/ortnode/node_modules node parity_check.mjs <modelDir> <fp32|int8|q4>
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';
const require = createRequire(process.env.NODE_PATH + '/');
const ort = require('onnxruntime-node');
const [modelDir, prec = 'fp32'] = process.argv.slice(2);
const sfx = { fp32: '', int8: '_int8', q4: '_q4' }[prec];
const cfg = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json')));
const T = cfg.vision_config.image_size, L = cfg.text_config.num_hidden_layers, KVH = cfg.text_config.num_key_value_heads, HD = cfg.text_config.head_dim;
const s = (n) => ort.InferenceSession.create(path.join(modelDir, `onnx/${n}${sfx}.onnx`));
const [vis, emb, dec] = await Promise.all([s('vision_encoder'), s('embed_tokens'), s('decoder_model_merged')]);
const cases = JSON.parse(fs.readFileSync('build/parity.json'));
for (const c of cases) {
  // batch 1 x 2 images (the same image twice) to exercise the dynamic num_images axis
  const px = new Float32Array(2 * 3 * T * T); px.set(c.pixels); px.set(c.pixels, 3 * T * T);
  const vr = await vis.run({ pixel_values: new ort.Tensor('float32', px, [1, 2, 3, T, T]),
                             pixel_attention_mask: new ort.Tensor('bool', new Uint8Array(2 * T * T).fill(1), [1, 2, T, T]) });
  const f = vr.image_features.data; let fd = 0;
  for (let i = 0; i < c.features.length; i++) fd = Math.max(fd, Math.abs(f[i] - c.features[i]), Math.abs(f[i + c.features.length] - c.features[i]));
  const ids = c.ids;
  const e = (await emb.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) })).inputs_embeds;
  const H = e.dims[2]; let k = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i] === 49190) { e.data.set(c.features.slice(k * H, (k + 1) * H), i * H); k++; }
  const feeds = { inputs_embeds: e, attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
                  position_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(i))), [1, ids.length]) };
  for (let i = 0; i < L; i++) for (const kv of ['key', 'value']) feeds[`past_key_values.${i}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [1, KVH, 0, HD]);
  const r = await dec.run(feeds);
  const V = r.logits.dims[2], S = r.logits.dims[1]; const lg = r.logits.data.subarray((S - 1) * V, S * V);
  let best = 0; for (let j = 1; j < V; j++) if (lg[j] > lg[best]) best = j;
  let ld = 0; for (let j = 0; j < 8; j++) ld = Math.max(ld, Math.abs(lg[j] - c.logits_head[j]));
  console.log(JSON.stringify({ prec, image: c.image, features_dims: vr.image_features.dims, max_abs_diff_features: fd, max_abs_diff_logits: ld,
    argmax_ort: best, argmax_torch: c.argmax, present0: r['present.0.key'].dims }));
}
