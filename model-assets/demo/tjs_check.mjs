// Independent end-to-end check with transformers.js (its own Idefics3 processor: sharp decoding +
// resizing, its own prompt expansion, Idefics3ForConditionalGeneration over the published layout).
//   NODE_PATH=/tmp/ortnode/node_modules node tjs_check.mjs <modelDir> <testsetDir> <fp32|int8|q4> [limitScenes]
import fs from 'fs';
import path from 'path';
const T = await import(process.env.NODE_PATH + '/@huggingface/transformers/dist/transformers.node.mjs');
const { AutoProcessor, AutoModelForVision2Seq, RawImage, env } = T;
const [modelDir, testDir, dtype = 'fp32', limit = '100000'] = process.argv.slice(2);
env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(modelDir)) + '/';
const name = path.basename(path.resolve(modelDir));
const processor = await AutoProcessor.from_pretrained(name);
const model = await AutoModelForVision2Seq.from_pretrained(name, { dtype, device: 'cpu' });
const doc = JSON.parse(fs.readFileSync(path.join(testDir, 'testset.json')));
const entries = doc.scenes.concat(doc.special || []).slice(0, parseInt(limit));
const res = {}; const wrong = [];
const t0 = Date.now();
for (const e of entries) {
  const image = await RawImage.read(path.join(testDir, e.image));
  for (const q of e.questions) {
    const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: q.question }] }];
    const text = processor.apply_chat_template(messages, { add_generation_prompt: true });
    const inputs = await processor(text, [image]);
    const out = await model.generate({ ...inputs, max_new_tokens: 32, do_sample: false });
    const n = inputs.input_ids.dims[1];
    const gen = processor.batch_decode(out.slice(null, [n, null]), { skip_special_tokens: false })[0];
    const ok = gen === ' ' + q.answer + '<end_of_utterance>';
    const t = e.special ? 'special_' + e.special : q.type;
    res[t] = res[t] || [0, 0]; res[t][0] += ok ? 1 : 0; res[t][1]++;
    if (!ok) wrong.push([e.image, q.question, q.answer, gen]);
  }
}
const summary = Object.fromEntries(Object.entries(res).sort().map(([k, [c, n]]) => [k, `${c}/${n} = ${(100 * c / n).toFixed(1)}%`]));
console.log(JSON.stringify({ check: 'transformers.js', dtype, scenes: entries.length, seconds: (Date.now() - t0) / 1000, accuracy: summary }, null, 1));
for (const w of wrong.slice(0, 10)) console.log('WRONG', JSON.stringify(w));
