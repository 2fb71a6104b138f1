#!/usr/bin/env node
// report.mjs [--image] DIR LABEL... -- the table compare.sh prints (--image: the runs answered about a picture):
// per contestant the median of every figure over the rounds in DIR/<LABEL with _ for spaces>.jsonl
// (llama_bench.mjs or llama_cli_bench.py lines for "llama.cpp …" labels, Glance `bench --json` lines otherwise), the
// decoder graph each Glance run reports, and Glance ÷ llama.cpp at the same bit width (every Glance q4 contestant ÷
// Q4_0, int8 ÷ Q8_0). Rows that no run measured are left out.
// Exits with 1 when the contestants did not get the same number of generated tokens, or of prompt tokens (with a
// picture, within 2 %).
import fs from 'node:fs';
import path from 'node:path';
import { median } from '../median.mjs';

const args = process.argv.slice(2);
const withImage = args[0] === '--image';
const [dir, ...labels] = withImage ? args.slice(1) : args;
const isLlama = (label) => label.startsWith('llama.cpp');
const runs = Object.fromEntries(labels.map((label) => {
    const file = path.join(dir, label.replaceAll(' ', '_') + '.jsonl');
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    return [label, lines.map((l) => JSON.parse(l))];
}));
const med = (label, field) => median(runs[label].map((run) => run[field]));
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const ratio = (a, b) => (Number.isFinite(a / b) ? (a / b).toFixed(2) + '×' : '—');

const prompts = new Set(labels.map((l) => med(l, 'prompt_tokens')));
const generated = new Set(labels.map((l) => med(l, 'generated_tokens')));
const promptTokens = [...prompts].join(' / ');

const fromSource = labels.some((l) => isLlama(l) && runs[l].some((run) => String(run.binary).startsWith('built')));
// with a picture the two processors may frame the tiles with a token more or less: within 2 % is the same work
const promptSpread = Math.max(...prompts) / Math.min(...prompts);
const sameWork = generated.size === 1 && (prompts.size === 1 || (withImage && promptSpread <= 1.02));
const loadRow = fromSource ? 'model load (s; llama.cpp: its reported load time³)'
    : 'model load (s; llama.cpp: its own share³)';
// [row name, llama.cpp field, Glance field, digits, scale]
const rows = [
    ['decode tokens/s', 'decode_tokens_per_s', 'decode_tokens_per_s', 1, 1],
    ['decode tokens/s, model runs only⁵', 'decode_tokens_per_s', 'decode_run_tokens_per_s', 1, 1],
    [fromSource ? 'decode step (ms; llama.cpp: mean)' : 'decode step (median, ms)', 'decode_step_ms',
        'decode_step_ms', 1, 1],
    [loadRow, 'llama_load_ms', 'load_ms', 2, 1 / 1000],
    ['start → ready (s; from the exec⁴)', 'exec_to_ready_ms', 'exec_to_ready_ms', 2, 1 / 1000],
    [`prompt prefill (${promptTokens} tokens, ms)`, 'prefill_ms', 'prefill_ms', 0, 1],
    ['image encode (ms, every tile)', 'image_encode_ms', 'vision_ms', 0, 1],
    ['image → first token (ms)', 'image_to_first_token_ms', 'ttft_ms', 0, 1],
    ['peak RSS (MB)', 'peak_rss_mb', 'peak_rss_mb', 0, 1],
    ['node-llama-cpp: loadModel + createContext (s)', 'load_ms', null, 2, 1 / 1000],
    ['node-llama-cpp: its JavaScript GGUF metadata read (s)', 'gguf_read_ms', null, 2, 1 / 1000],
    ['node-llama-cpp: llama.cpp library load (s)', 'backend_ms', null, 2, 1 / 1000],
].filter(([name]) => (withImage || !name.startsWith('image'))
    && (!fromSource || !name.startsWith('node-llama-cpp'))
    && (fromSource || !(name.startsWith('start') || name.includes('model runs only'))));
const pairs = labels.filter((l) => l.startsWith('Glance '))
    .map((l) => [l, l.startsWith('Glance q4') ? 'llama.cpp Q4_0' : 'llama.cpp Q8_0'])
    .filter(([, b]) => labels.includes(b));
const value = (label, llamaField, glanceField) => {
    const field = isLlama(label) ? llamaField : glanceField;
    return field ? med(label, field) : NaN;
};
const table = [['', ...labels.map((l) => `${l} (n=${runs[l].length})`), ...pairs.map(([a, b]) => `${a} ÷ ${b}`)]];
for (const [name, llamaField, glanceField, digits, scale] of rows) {
    table.push([name, ...labels.map((l) => fmt(value(l, llamaField, glanceField) * scale, digits)),
        ...pairs.map(([a, b]) => ratio(value(a, llamaField, glanceField), value(b, llamaField, glanceField)))]);
}
// what each Glance contestant's runs reported in `field` (a text), one cell per column after the row name
const reported = (field) => [...labels.map((l) => (isLlama(l) ? '—'
    : [...new Set(runs[l].map((run) => run[field] ?? '—'))].join(', '))), ...pairs.map(() => '—')];
table.push(['decoder graph', ...reported('decoder_graph')]);
table.push(['4-bit layers on', ...reported('decoder_4bit_kernel')]);
table.push(['attention on', ...reported('decoder_attention')]);
table.push(['JVM options', ...reported('jvm_options')]);
if (!withImage) {
    table.push(['image encode', ...labels.map((l) => (isLlama(l) ? 'not measured¹' : 'not measured²')),
        ...pairs.map(() => '—')]);
}
for (const [i, row] of table.entries()) {
    console.log(`| ${row.join(' | ')} |`);
    if (i === 0) console.log(`|${row.map(() => '---').join('|')}|`);
}
const notes = [];
if (!withImage) {
    notes.push(fromSource ? '¹ text-only prompt: compare.sh --image measures the image encoder.'
        : '¹ node-llama-cpp has no image encoder (no mtmd / mmproj API): the prebuilt llama.cpp runs the text'
            + ' decoder only.', '² text-only prompt on both sides, so that both do the same work.');
}
notes.push(fromSource ? '³ llama_perf_context_print\'s load time: the model file, not its context (KV cache,'
    + ' compute buffers) nor the mmproj file.'
    : '³ node-llama-cpp\'s loadModel + createContext less its JavaScript GGUF metadata read.');
if (fromSource) {
    notes.push('⁴ from starting the program to the point where it takes the prompt: llama.cpp\'s log line before it'
        + ' generates (llama-completion) or reads the picture (llama-mtmd-cli), after the model file, the context and'
        + ' the mmproj file; Glance\'s loaded model (the JVM, the sessions, the tokenizer), timed from the process\'s'
        + ' start by the kernel\'s 10 ms clock.');
    notes.push('⁵ llama.cpp\'s eval time counts its decoder passes only (picking a token is its sampling time);'
        + ' Glance\'s "decode tokens/s" counts from the first token to the last, picking and streaming each token'
        + ' included, and this row its decoder runs alone (`decode_run_tokens_per_s`).');
}
const binaries = [...new Set(labels.filter(isLlama).flatMap((l) => runs[l].map((run) => run.binary)))];
notes.push(`llama.cpp: ${binaries.join('; ')}`);
console.log('\n' + notes.join('\n'));
if (!sameWork) {
    console.log(`\nNOT COMPARABLE: prompt tokens ${promptTokens}, generated tokens ${[...generated].join(' / ')}`);
    process.exit(1);
}
