#!/usr/bin/env node
// compare_clip.mjs -- compares Glance's `embed --json` and `classify --json` with the reference outputs that
// dump_clip_reference.mjs wrote: cosine of every picture and text embedding (>= 0.9999 passes), and the zero-shot
// ranking (identical passes) with the largest probability difference. Prints one line per case and a summary;
// exits 1 if any case fails.
// Usage: node compare_clip.mjs REFERENCE.json MODEL_DIR GLANCE_JAR
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const [referenceFile, modelDir, jar] = process.argv.slice(2);
const reference = JSON.parse(fs.readFileSync(referenceFile, 'utf8'));
const images = path.join(path.dirname(new URL(import.meta.url).pathname), 'images');
const glance = (...args) => JSON.parse(execFileSync('java', ['-jar', jar, ...args, '--model', modelDir, '--json'],
    { encoding: 'utf8', maxBuffer: 1 << 26 }));
const cosine = (a, b) => {
    let dot = 0, na = 0, nb = 0;
    for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
    return dot / Math.sqrt(na * nb);
};
let cases = 0, failed = 0;
const report = (ok, line) => { cases++; if (!ok) failed++; console.log(`${ok ? 'same' : 'DIFF'}  ${line}`); };
const name = path.basename(modelDir);
for (const [dtype, entry] of Object.entries(reference)) {
    if (dtype === 'model_type') continue;
    const pictures = glance('embed', '--dtype', dtype, '--image', ...entry.images.map((e) => path.join(images, e.image)));
    entry.images.forEach((e, i) => {
        const c = cosine(e.embedding, pictures.embeddings[i]);
        report(c >= 0.9999, `${name} ${dtype} image ${e.image}: cosine ${c.toFixed(6)}`);
    });
    const texts = glance('embed', '--dtype', dtype, '--text', ...entry.texts.map((e) => e.text));
    entry.texts.forEach((e, i) => {
        const c = cosine(e.embedding, texts.embeddings[i]);
        report(c >= 0.9999, `${name} ${dtype} text ${JSON.stringify(e.text.slice(0, 30))}: cosine ${c.toFixed(6)}`);
    });
    for (const z of entry.zero_shot) {
        const args = ['classify', '--dtype', dtype, '--labels', z.labels.join(','), path.join(images, z.image)];
        if (z.template) args.push('--template', z.template);
        const labels = glance(...args).labels;
        const same = labels.map((l) => l.label).join('|') === z.scores.map((s) => s.label).join('|');
        const worst = Math.max(...z.scores.map((s, i) => Math.abs(s.score - labels[i].probability)));
        report(same, `${name} ${dtype} zero-shot ${z.image} [${z.labels.join(', ')}]: ranking ${same ? 'identical' : 'differs'}, `
            + `largest probability difference ${worst.toExponential(2)}`);
    }
}
console.log(`${name}: ${cases - failed} of ${cases} cases the same`);
process.exit(failed ? 1 : 0);
