#!/usr/bin/env node
// llama_bench.mjs --gguf FILE [--prompt TEXT] [--tokens 32] [--threads 2] [--context 512]
// One benchmark run of llama.cpp (the prebuilt CPU binary that node-llama-cpp ships) in this process, with
// the figures Glance's `bench-run` reports, measured the same way, as one JSON line on stdout:
//   backend_ms           loading llama.cpp's native libraries (getLlama), not part of load_ms
//   load_ms              node-llama-cpp's loadModel + createContext: the model file and its context (KV cache,
//                        compute buffers), including node-llama-cpp's own JavaScript read of the GGUF metadata
//   gguf_read_ms         that JavaScript metadata read alone (readGgufFileInfo, timed separately before loading)
//   llama_load_ms        load_ms − gguf_read_ms: llama.cpp's own share of the load
//   prefill_ms           evaluating the prompt up to the first generated token (greedy)
//   decode_tokens_per_s  (generated − 1) ÷ time from the first to the last generated token
//   decode_step_ms       median time between two generated tokens
//   peak_rss_mb          peak resident memory of this process (VmHWM), Node itself included
//   prompt_tokens, generated_tokens, threads
//   llama_cpp_release, binary (prebuilt or built locally, GPU), cpu_features (the ggml CPU variant loaded)
// The prompt is tokenized with special tokens recognised; stop tokens are ignored (exactly N tokens).
// Never downloads or builds: only the prebuilt binary of @node-llama-cpp/linux-x64 is used, without GPU.
import fs from 'node:fs';
import { getLlama, LlamaLogLevel, readGgufFileInfo } from 'node-llama-cpp';

const DEFAULT_PROMPT = '<|im_start|>User: Can you describe this image?<end_of_utterance>\nAssistant:';

function parseArgs(argv) {
    const options = { prompt: DEFAULT_PROMPT, tokens: 32, threads: 2, context: 512 };
    for (let i = 0; i < argv.length; i += 2) {
        const [name, value] = [argv[i], argv[i + 1]];
        if (value === undefined) throw new Error(`option ${name} needs a value`);
        switch (name) {
            case '--gguf': options.gguf = value; break;
            case '--prompt': options.prompt = value; break;
            case '--tokens': options.tokens = Number(value); break;
            case '--threads': options.threads = Number(value); break;
            case '--context': options.context = Number(value); break;
            default: throw new Error(`unknown option ${name}`);
        }
    }
    if (!options.gguf || !fs.existsSync(options.gguf)) throw new Error(`--gguf: no such file: ${options.gguf}`);
    if (!(options.tokens >= 2) || !(options.threads >= 1)) throw new Error('--tokens must be ≥ 2, --threads ≥ 1');
    return options;
}

function peakRssMb() {
    const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Number(line.replace(/\D/g, '')) / 1024 : -1;
}

const median = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    const m = v.length >> 1;
    return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const round = (x) => Math.round(x * 100) / 100;

async function main() {
    const options = parseArgs(process.argv.slice(2));
    const t0 = performance.now();
    const llama = await getLlama({
        gpu: false, build: 'never', usePrebuiltBinaries: true, skipDownload: true, progressLogs: false,
        maxThreads: options.threads, logLevel: LlamaLogLevel.error,
    });
    const t1 = performance.now();
    await readGgufFileInfo(options.gguf);
    const ggufReadMs = performance.now() - t1;
    const t2 = performance.now();
    const model = await llama.loadModel({ modelPath: options.gguf, gpuLayers: 0 });
    const context = await model.createContext({ contextSize: options.context, threads: options.threads,
        sequences: 1 });
    const sequence = context.getSequence();
    const t3 = performance.now();

    const promptTokens = model.tokenize(options.prompt, true);
    const times = [];
    const start = performance.now();
    for await (const token of sequence.evaluate(promptTokens, { temperature: 0, yieldEogToken: true })) {
        times.push(performance.now());
        if (token == null || times.length >= options.tokens) break;
    }
    const steps = times.slice(1).map((t, i) => t - times[i]);
    const figures = {
        backend_ms: t1 - t0,
        load_ms: t3 - t2,
        gguf_read_ms: ggufReadMs,
        llama_load_ms: t3 - t2 - ggufReadMs,
        prefill_ms: times[0] - start,
        decode_tokens_per_s: (times.length - 1) / ((times.at(-1) - times[0]) / 1000),
        decode_step_ms: median(steps),
        peak_rss_mb: peakRssMb(),
        prompt_tokens: promptTokens.length,
        generated_tokens: times.length,
        threads: context.currentThreads,
        llama_cpp_release: llama.llamaCppRelease.release,
        binary: `${llama.buildType}, gpu ${llama.gpu}`,
        cpu_features: llama.systemInfo.trim(),
    };
    console.log(JSON.stringify(Object.fromEntries(Object.entries(figures)
        .map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]))));
    await context.dispose();
    await model.dispose();
    await llama.dispose();
}

main().catch((e) => {
    console.error(`llama_bench.mjs: ${e.message}`);
    process.exit(1);
});
