#!/usr/bin/env python3
"""llama_cli_bench.py -- one benchmark run of a llama.cpp built from source, through llama.cpp's own command-line
tools, with the figures of llama_bench.mjs (and Glance's `bench --json`) as one JSON line on stdout.

Usage: llama_cli_bench.py --bin DIR --gguf FILE [--mmproj FILE --image FILE] [--prompt TEXT] [--tokens 32]
                          [--threads 2] [--context 2048]

DIR holds the built tools (build/bin of a llama.cpp source folder). Without --image the run is
`llama-completion` on the prompt (text only, as llama_bench.mjs); with --image it is `llama-mtmd-cli`, the
question after the picture in SmolVLM's chat template, the picture split into tiles as the mmproj file says.
Both: greedy (--temp 0), stop tokens ignored (--ignore-eos), exactly --tokens tokens, --threads threads for
the prompt and for decoding, no GPU.

The figures come from llama.cpp's own timing report (llama_perf_context_print, common_perf_print) and log:
  load_ms, llama_load_ms   the model's load time as llama.cpp reports it (the text model file; the context,
                           KV cache and mmproj file are not in it)
  exec_to_ready_ms         from starting the tool to its log line before it reads the picture (llama-mtmd-cli)
                           or before it generates (llama-completion): the process, the model file, the context
                           and the mmproj file, as seen by this script
  prefill_ms               prompt eval time: the decoder passes over the prompt, up to the first logits (with a
                           picture, the tiles' embeddings and the text around them; llama.cpp counts the time
                           from the first such pass, so the vision encoder's time between them is taken out)
  decode_tokens_per_s      eval tokens per second (the one-token decoder passes)
  decode_step_ms           eval time per token (mean)
  image_encode_ms          with --image: the vision encoder over every tile, summed
  image_tiles              with --image: how many tiles (the overview included) were encoded
  image_to_first_token_ms  with --image: from the log line that precedes reading the picture to the first
                           generated text on stdout (reading and resizing the picture, the encoder, the prefill,
                           the first pick), as seen by this script
  peak_rss_mb              the process's peak resident memory (getrusage of the child)
  prompt_tokens            tokens of the prompt pass (with a picture: its embeddings and the text)
  generated_tokens         tokens written
Needs Python 3 only.
"""
import argparse
import json
import os
import re
import selectors
import subprocess
import sys
import time

DEFAULT_PROMPT = "<|im_start|>User: Can you describe this image?<end_of_utterance>\nAssistant:"
QUESTION = "Can you describe this image?"
# mtmd-cli logs this warning after loading both models and before reading the picture
BEFORE_IMAGE = "experimental CLI for testing multimodal"
# llama-completion logs this line after loading the model and making its context, before the prompt
BEFORE_PROMPT = "generate: n_ctx ="
# the timing report: llama_perf_context_print (llama-mtmd-cli) or common_perf_print (llama-completion)
PERF = {
    "load_ms": re.compile(r"_perf_\w*print:\s+load time =\s+([\d.]+) ms"),
    "prefill": re.compile(r"_perf_\w*print: prompt eval time =\s+([\d.]+) ms /\s+(\d+) tokens"),
    "eval": re.compile(r"_perf_\w*print:\s+eval time =\s+([\d.]+) ms /\s+(\d+) runs"),
}
# a batch of tiles through the vision encoder: llama-mtmd-cli's own line, or mtmd-helper's per tile
ENCODED = re.compile(r"(?:mtmd batch encoding done|slice encoded) in (\d+) ms")
TILES = re.compile(r"encoding mtmd batch, n_chunks = (\d+)|encoding \w+ slice\.\.\.")
SYSTEM_INFO = re.compile(r"system_info: (.*)")


def command(args):
    common = ["-m", args.gguf, "-n", str(args.tokens), "-t", str(args.threads), "-tb", str(args.threads),
              "-c", str(args.context), "--temp", "0", "--ignore-eos", "-ngl", "0", "--seed", "1"]
    if args.image:
        return [os.path.join(args.bin, "llama-mtmd-cli"), *common, "--mmproj", args.mmproj, "--image", args.image,
                "--no-mmproj-offload", "--chat-template", "smolvlm", "-p", args.prompt or QUESTION,
                "--perf", "-lv", "4"]  # its timing report and per-batch lines are logged at level 4
    return [os.path.join(args.bin, "llama-completion"), *common, "-no-cnv", "--no-display-prompt",
            "-p", args.prompt or DEFAULT_PROMPT]


def run(argv):
    """Runs the tool; returns (its stderr, a dict of perf_counter times: started, ready (the log line before the
    picture or the prompt), first_output (the first generated text after the picture), peak RSS in MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ, "out")
    selector.register(process.stderr, selectors.EVENT_READ, "err")
    out, err = bytearray(), bytearray()
    before_image = first_output = ready = None
    open_streams = 2
    while open_streams:
        for key, _ in selector.select():
            chunk = os.read(key.fileobj.fileno(), 65536)
            now = time.perf_counter()
            if not chunk:
                selector.unregister(key.fileobj)
                open_streams -= 1
            elif key.data == "err":
                err += chunk
                if before_image is None and BEFORE_IMAGE.encode() in err:
                    before_image = now
                if ready is None and (BEFORE_IMAGE.encode() in err or BEFORE_PROMPT.encode() in err):
                    ready = now
            else:
                out += chunk
                # the first generated text (llama-mtmd-cli writes a newline when the prompt is done)
                if first_output is None and before_image is not None and out.strip():
                    first_output = now
    _, status, usage = os.wait4(process.pid, 0)
    stderr = err.decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"llama_cli_bench.py: {os.path.basename(argv[0])} failed:\n{stderr[-3000:]}")
    times = {"started": started, "ready": ready, "before_image": before_image, "first_output": first_output}
    return stderr, times, usage.ru_maxrss / 1024


def figures(args, stderr, times, peak_rss_mb):
    found = {name: pattern.search(stderr) for name, pattern in PERF.items()}
    missing = [name for name, match in found.items() if match is None]
    if missing:
        raise SystemExit(f"llama_cli_bench.py: no {', '.join(missing)} in the timing report:\n{stderr[-3000:]}")
    eval_ms, eval_runs = float(found["eval"].group(1)), int(found["eval"].group(2))
    result = {
        "load_ms": float(found["load_ms"].group(1)),
        "llama_load_ms": float(found["load_ms"].group(1)),
        "prefill_ms": float(found["prefill"].group(1)),
        "decode_tokens_per_s": 1000 * eval_runs / eval_ms,
        "decode_step_ms": eval_ms / eval_runs,
        "exec_to_ready_ms": None if times["ready"] is None else 1000 * (times["ready"] - times["started"]),
        "peak_rss_mb": peak_rss_mb,
        "prompt_tokens": int(found["prefill"].group(2)),
        "generated_tokens": args.tokens,
        "threads": args.threads,
    }
    if args.image:
        encoded = [int(ms) for ms in ENCODED.findall(stderr)]
        if not encoded or times["before_image"] is None or times["first_output"] is None:
            raise SystemExit(f"llama_cli_bench.py: the picture's timings are missing:\n{stderr[-3000:]}")
        # llama.cpp's prompt eval time runs from the first decoder pass to the first logits, and the tiles are
        # encoded in between: the decoder's share is the rest
        result.update(prefill_ms=result["prefill_ms"] - sum(encoded), image_encode_ms=sum(encoded),
                      image_tiles=sum(int(n) if n else 1 for n in TILES.findall(stderr)),
                      image_to_first_token_ms=1000 * (times["first_output"] - times["before_image"]))
    info = SYSTEM_INFO.search(stderr)
    result.update(binary=f"built from source: {os.path.abspath(args.bin)}",
                  cpu_features=info.group(1).strip() if info else "")
    return result


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, help="folder of llama-completion and llama-mtmd-cli")
    parser.add_argument("--gguf", required=True)
    parser.add_argument("--mmproj")
    parser.add_argument("--image")
    parser.add_argument("--prompt")
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--context", type=int, default=2048)
    args = parser.parse_args(argv)
    if bool(args.image) != bool(args.mmproj):
        parser.error("--image and --mmproj go together")
    for path in filter(None, [args.gguf, args.mmproj, args.image]):
        if not os.path.isfile(path):
            parser.error(f"no such file: {path}")
    stderr, times, peak = run(command(args))
    result = figures(args, stderr, times, peak)
    print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main(sys.argv[1:])
