package io.glance.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code glance bench}: runs {@link BenchRunCommand} in a fresh JVM per run (so load time and memory are
 * real cold-start figures), then reports the median and spread of every figure; with {@code --json}, one
 * object whose top-level fields are medians plus {@code runs} with each run. Runs on the calling thread.
 */
@Command(name = "bench", description = "Benchmark load, preprocessing, time to first token and decode speed.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model folder.")
    Path model;
    @Option(names = "--dtype", description = "Precision (default: q4).")
    String dtype = "q4";
    @Option(names = "--image",
            description = "Image to ask about (default: none, a text-only prompt, for which no vision encoder is opened).")
    Path image;
    @Mixin
    TilingOptions tiling = new TilingOptions();
    @Option(names = "--tokens", description = "Tokens to generate, stop token ignored (default: 32).")
    int tokens = 32;
    @Option(names = "--runs", description = "Fresh processes to run (default: 5).")
    int runs = 5;
    @Option(names = "--device", description = "auto, cpu, cuda, … (default: cpu).")
    String device = "cpu";
    @Mixin
    CpuOptions cpu = new CpuOptions();
    @Option(names = "--json", description = "One JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || tokens < 2) {
            throw new UsageException("--runs must be at least 1 and --tokens at least 2");
        }
        List<JsonObject> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            JsonObject run = runOnce();
            results.add(run);
            System.err.printf("run %d/%d: ttft %.0f ms, decode %.1f tok/s%n", i + 1, runs,
                    run.get("ttft_ms").getAsDouble(), run.get("decode_tokens_per_s").getAsDouble());
        }
        JsonObject summary = new JsonObject();
        Map<String, double[]> spread = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> field : results.get(0).entrySet()) {
            if (!field.getValue().getAsJsonPrimitive().isNumber()) {
                summary.add(field.getKey(), field.getValue());
                continue;
            }
            double[] values = results.stream().mapToDouble(r -> r.get(field.getKey()).getAsDouble()).sorted().toArray();
            summary.addProperty(field.getKey(), AskCommand.round(median(values)));
            spread.put(field.getKey(), values);
        }
        JsonObject ranges = new JsonObject();
        spread.forEach((key, values) -> {
            JsonObject range = new JsonObject();
            range.addProperty("min", AskCommand.round(values[0]));
            range.addProperty("max", AskCommand.round(values[values.length - 1]));
            ranges.add(key, range);
        });
        summary.add("spread", ranges);
        com.google.gson.JsonArray all = new com.google.gson.JsonArray();
        results.forEach(all::add);
        summary.add("runs", all);
        if (json) {
            System.out.println(new GsonBuilder().serializeNulls().create().toJson(summary));
        } else {
            spread.forEach((key, values) -> System.out.printf("%-24s median %10.2f   min %10.2f   max %10.2f%n",
                    key, median(values), values[0], values[values.length - 1]));
        }
        return 0;
    }

    private JsonObject runOnce() throws IOException, InterruptedException, UsageException {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        // the JIT, garbage collector and memory this process was started with: each run is launched as this one was
        command.addAll(BenchRunCommand.jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        // the same user folders (and so the same cache of native libraries) as this process
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("glance.")).sorted()
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.addAll(List.of("io.glance.Main", "bench-run", "--model", model.toString(), "--dtype", dtype,
                "--tokens", Integer.toString(tokens), "--device", device));
        command.addAll(cpu.asArguments());
        if (image != null) {
            command.addAll(List.of("--image", image.toString()));
        }
        command.addAll(tiling.asArguments());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int code = process.waitFor();
        if (code != 0) {
            throw new UsageException("a benchmark run failed (exit " + code + ")");
        }
        String lastLine = out.substring(out.lastIndexOf('\n') + 1);
        return JsonParser.parseString(lastLine).getAsJsonObject();
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static double median(double[] sorted) {
        double[] values = Arrays.copyOf(sorted, sorted.length);
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
