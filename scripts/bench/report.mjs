#!/usr/bin/env node
// report.mjs DIR LABEL... -- the table compare.sh prints: the median of every figure per contestant over
// the rounds in DIR/LABEL.jsonl, and ratios. The first Glance label is compared with transformers.js,
// every further Glance label with the first one.
import fs from 'node:fs';
import path from 'node:path';
import { median } from './median.mjs';

const [dir, ...labels] = process.argv.slice(2);
const read = (label) => fs.readFileSync(path.join(dir, label + '.jsonl'), 'utf8').trim().split('\n')
    .filter(Boolean).map((l) => JSON.parse(l));

// One row per figure: how to read it from each side. "image → first token" is from the start of image
// preprocessing: transformers.js measures preprocess_ms and ttft_ms (from generate()) separately, Glance's
// ttft_ms already includes its preprocess_ms.
const figures = [
    ['load_ms', (g) => g.load_ms, (t) => t.load_ms, 'lower'],
    ['preprocess_ms', (g) => g.preprocess_ms, (t) => t.preprocess_ms, 'lower'],
    ['vision_ms', (g) => g.vision_ms, (t) => t.vision_ms, 'lower'],
    ['prefill_ms', (g) => g.prefill_ms, (t) => t.prefill_ms, 'lower'],
    ['image_to_first_token_ms', (g) => g.ttft_ms, (t) => t.preprocess_ms + t.ttft_ms, 'lower'],
    ['decode_tokens_per_s', (g) => g.decode_tokens_per_s, (t) => t.decode_tokens_per_s, 'higher'],
    ['decode_step_ms (decoder run)', (g) => g.decode_step_ms, (t) => t.decode_step_ms_median, 'lower'],
    ['overhead_pct (outside decoder run)', (g) => g.java_overhead_pct,
        (t) => 100 * (1 - t.per_token_ms_median.decoder_run / t.per_token_ms_median.interval), 'lower'],
    ['peak_rss_mb', (g) => g.peak_rss_mb, (t) => t.maxRSS_MB, 'lower'],
    ['followup_ttft_ms', (g) => g.followup_ttft_ms, () => NaN, 'lower'],
    ['followup_ttft / ttft', (g) => g.followup_ttft_ms / g.ttft_ms, () => NaN, 'lower'],
    ['same_frame_new_chat_ttft_ms', (g) => g.same_frame_ttft_ms, () => NaN, 'lower'],
];
const data = Object.fromEntries(labels.map((l) => [l, read(l)]));
const tjs = data['transformers.js'];
const glance = labels.filter((l) => l !== 'transformers.js');
const fmt = (x) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2)) : '—');
const cols = [...labels];
const ratioCols = [];
if (tjs && glance.length) ratioCols.push([glance[0], 'transformers.js']);
for (const g of glance.slice(1)) ratioCols.push([g, glance[0]]);
const header = ['figure (median)', ...cols.map((c) => `${c} (n=${data[c].length})`),
    ...ratioCols.map(([a, b]) => `${a} ÷ ${b}`)];
const rows = [header];
for (const [name, g, t] of figures) {
    const med = (label) => median(data[label].map(label === 'transformers.js' ? t : g));
    rows.push([name, ...cols.map((c) => fmt(med(c))), ...ratioCols.map(([a, b]) => fmt(med(a) / med(b)) + '×')]);
}
const widths = header.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
const line = (r) => '| ' + r.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
console.log(line(rows[0]));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
rows.slice(1).forEach((r) => console.log(line(r)));
