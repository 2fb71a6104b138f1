package io.glance.cli;

import com.google.gson.Gson;
import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.GenerationOptions;
import io.glance.generation.GenerationResult;
import io.glance.generation.Timings;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.onnx.Device;
import io.glance.onnx.LoadedModel;
import io.glance.onnx.NativeKernels;
import io.glance.onnx.VisionEncoderLoading;
import io.glance.onnx.fusion.DecoderFusion;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * One benchmark run in this process (what {@code glance bench} starts once per run): load, one question
 * generating exactly N tokens, one follow-up, the first question again in a new conversation about the same
 * image (a frozen frame), then one JSON line of figures on stdout. Hidden from help.
 */
@Command(name = "bench-run", hidden = true)
public final class BenchRunCommand implements Callable<Integer> {
    static final String QUESTION = "Can you describe this image?";
    static final String FOLLOW_UP = "What else do you see?";
    private static final int USER_HZ = 100;

    @Option(names = "--model", required = true)
    Path model;
    @Option(names = "--dtype")
    String dtype = "q4";
    @Option(names = "--image")
    Path image;
    @Mixin
    TilingOptions tiling = new TilingOptions();
    @Option(names = "--tokens")
    int tokens = 32;
    @Option(names = "--device")
    String device = "cpu";
    @Mixin
    CpuOptions cpu = new CpuOptions();

    @Override
    public Integer call() throws Exception {
        long openCvStart = System.nanoTime();
        // OpenCV's native library only for a picture, as `ask` does
        ImageDecoder imageDecoder = image == null ? null : new ImageDecoder();
        double openCvMs = (System.nanoTime() - openCvStart) / 1e6;
        long loadStart = System.nanoTime();
        // without a picture the vision encoder is not opened: a text model's load, as llama.cpp's without a projector
        VisionEncoderLoading vision = image == null ? VisionEncoderLoading.ON_FIRST_PICTURE
                : VisionEncoderLoading.WITH_THE_MODEL;
        try (LoadedModel loaded = LoadedModel.load(ModelFolder.open(model), PrecisionSet.parse(dtype),
                Device.parse(device), cpu.threading(), vision)) {
            double loadMs = (System.nanoTime() - loadStart) / 1e6;
            double execToReadyMs = millisSinceExec();
            GenerationOptions options = GenerationOptions.greedy(tokens).withIgnoreStopTokens(true);
            long start = System.nanoTime();
            DecodedImage decoded = image == null ? null : imageDecoder.decode(image);
            double decodeMs = (System.nanoTime() - start) / 1e6;
            GenerationResult first;
            GenerationResult followUp;
            GenerationResult sameFrame;
            List<DecodedImage> images = decoded == null ? List.of() : List.of(decoded);
            try {
                try (ChatSession chat = tiling.newChat(loaded, null)) {
                    first = chat.ask(QUESTION, images, options, s -> { }, new Cancellation());
                    followUp = chat.ask(FOLLOW_UP, List.of(), options, s -> { }, new Cancellation());
                }
                try (ChatSession chat = tiling.newChat(loaded, null)) {
                    sameFrame = images.isEmpty() ? chat.ask(QUESTION, images, options, s -> { }, new Cancellation())
                            : chat.ask(QUESTION, chat.prepareImages(images, new Cancellation()), options, s -> { },
                                    new Cancellation());
                }
            } finally {
                if (decoded != null) {
                    decoded.close();
                }
            }
            Timings t = first.timings();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("load_ms", loadMs);
            figures.put("exec_to_ready_ms", execToReadyMs);
            figures.put("opencv_load_ms", openCvMs);
            figures.put("preprocess_ms", decodeMs + t.preprocessMs());
            figures.put("vision_ms", t.visionMs());
            figures.put("prefill_ms", t.prefillMs());
            figures.put("ttft_ms", decodeMs + t.ttftMs());
            figures.put("decode_tokens_per_s", t.decodeTokensPerS());
            // the decoder runs alone, as llama.cpp's eval time counts: without picking and streaming the tokens
            figures.put("decode_run_tokens_per_s", t.decodeTokensPerS() / t.decodeRunShare());
            figures.put("decode_step_ms", t.decodeStepMs());
            figures.put("java_overhead_pct", 100.0 * (1.0 - t.decodeRunShare()));
            figures.put("followup_ttft_ms", followUp.timings().ttftMs());
            figures.put("followup_reused_tokens", (double) followUp.reusedTokens());
            figures.put("same_frame_ttft_ms", decodeMs + sameFrame.timings().ttftMs());
            figures.put("same_frame_vision_ms", sameFrame.timings().visionMs());
            figures.put("prompt_tokens", (double) first.promptTokens());
            figures.put("generated_tokens", (double) first.tokenIds().length);
            figures.put("peak_rss_mb", peakRssMb());
            figures.put("provider", loaded.model().provider());
            new TreeMap<>(loaded.model().loadMillis()).forEach((step, ms) -> figures.put("load_" + step + "_ms", ms));
            figures.put("decoder_graph", loaded.model().decoderGraph().kind());
            figures.put("decoder_graph_note", loaded.model().decoderGraph().note());
            DecoderFusion.GlanceKernelUse kernels = DecoderFusion.glanceKernelUse(loaded.model().decoderGraph());
            figures.put("decoder_4bit_kernel", kernels.tileKernel() ? NativeKernels.KERNEL_NAME : "onnxruntime");
            figures.put("decoder_attention", kernels.cachedAttention() ? NativeKernels.ATTENTION_NAME : "onnxruntime");
            figures.put("jvm_options", String.join(" ", jvmOptions()));
            System.out.println(new Gson().toJson(figures));
            return 0;
        }
    }

    /**
     * The HotSpot options this JVM was started with ({@code -XX:…}, and the heap and stack sizes): the JIT, the
     * garbage collector and the memory a run had, which a benchmark passes on to its runs and reports.
     */
    static List<String> jvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith("-XX:") || option.startsWith("-Xmx") || option.startsWith("-Xms")
                        || option.startsWith("-Xss"))
                .toList();
    }

    /**
     * Milliseconds from this process's start (its exec, before the JVM) to now, from the kernel's clock-tick
     * counters (10 ms steps), or -1 where /proc is not available: a load as a person starting the program sees it.
     */
    static double millisSinceExec() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the fields after the command's name, which is in parentheses and may hold spaces: state is field 3,
            // starttime (clock ticks after boot) field 22
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[22 - 3]);
            double uptimeSeconds = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            // /proc counts in USER_HZ, 100 on every Linux architecture the app ships for
            return (uptimeSeconds - startTicks / (double) USER_HZ) * 1000;
        } catch (IOException | RuntimeException e) {
            return -1; // not Linux: reported as unknown
        }
    }

    /** Peak resident memory of this process (VmHWM), or -1 where /proc is not available. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: reported as unknown
        }
        return -1;
    }
}
