// Compares bpe.py token ids (written by tokenizer_cases.py) with transformers.js on the same strings.
//   NODE_PATH=/tmp/ortnode/node_modules node tokenizer_check.mjs build/tok_cases.json
import fs from 'fs';
const { AutoTokenizer, env } = await import(process.env.NODE_PATH + '/@huggingface/transformers/dist/transformers.node.mjs');
env.allowRemoteModels = false; env.localModelPath = new URL('..', import.meta.url).pathname;
const tok = await AutoTokenizer.from_pretrained('glance-demo-shapes');
const cases = JSON.parse(fs.readFileSync(process.argv[2]));
let bad = 0;
for (const [s, ids] of cases) { const t = tok.encode(s, { add_special_tokens: false }); if (JSON.stringify(t) !== JSON.stringify(ids)) { bad++; if (bad < 5) console.log('DIFF', s, t, ids); } }
console.log('cases', cases.length, 'mismatches', bad);
