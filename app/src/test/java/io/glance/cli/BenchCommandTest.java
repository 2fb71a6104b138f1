package io.glance.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.glance.TestModels;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code bench --json} contract of issue #7: field names, medians over fresh processes, and their sense. */
class BenchCommandTest {
    private static final String[] CONTRACT = {"load_ms", "preprocess_ms", "vision_ms", "prefill_ms", "ttft_ms",
        "decode_tokens_per_s", "decode_step_ms", "java_overhead_pct", "peak_rss_mb"};

    @TempDir
    Path dir;

    @Test
    void jsonHoldsTheMediansOfFreshProcessesEachGeneratingExactlyNTokens() {
        OpenCvLibrary.ensureLoaded();
        Path image = dir.resolve("scene.png");
        Imgcodecs.imwrite(image.toString(), new Mat(96, 128, CvType.CV_8UC3, new Scalar(200, 30, 30)));

        CommandRun run = CommandRun.of("bench", "--model", TestModels.tinyRandom().toString(), "--image", image.toString(),
                "--no-split", "--tokens", "5", "--runs", "3", "--json", "--no-spinning");

        assertEquals(0, run.code(), run.err());
        JsonObject summary = JsonParser.parseString(run.out().strip()).getAsJsonObject();
        JsonArray runs = summary.getAsJsonArray("runs");
        assertEquals(3, runs.size());
        for (String field : CONTRACT) {
            assertTrue(summary.has(field), field + " missing: " + summary);
            double[] values = new double[3];
            for (int i = 0; i < 3; i++) {
                values[i] = runs.get(i).getAsJsonObject().get(field).getAsDouble();
            }
            Arrays.sort(values);
            assertEquals(values[1], summary.get(field).getAsDouble(), 0.01, field + " is the median of the runs");
        }
        for (var element : runs) {
            JsonObject one = element.getAsJsonObject();
            assertEquals(5, one.get("generated_tokens").getAsInt(), "the stop token is ignored");
            assertTrue(one.get("ttft_ms").getAsDouble() >= one.get("vision_ms").getAsDouble() + one.get("prefill_ms").getAsDouble(),
                    "time to first token includes the vision and prefill runs: " + one);
            assertTrue(one.get("java_overhead_pct").getAsDouble() >= 0 && one.get("java_overhead_pct").getAsDouble() < 100);
            assertTrue(one.get("decode_run_tokens_per_s").getAsDouble() >= one.get("decode_tokens_per_s").getAsDouble(),
                    "the decoder runs alone take no longer than the steps from token to token: " + one);
            assertTrue(one.get("peak_rss_mb").getAsDouble() > 50, "a JVM with ONNX Runtime: " + one);
            assertTrue(one.get("followup_reused_tokens").getAsInt() > 0, "the follow-up reuses the image prefix: " + one);
            assertEquals("fused", one.get("decoder_graph").getAsString(), "the default decoder graph: " + one);
            assertTrue(one.get("load_decoder_model_merged_session_ms").getAsDouble() > 0, one.toString());
            assertTrue(one.get("load_vision_encoder_session_ms").getAsDouble() > 0, one.toString());
            assertTrue(one.get("load_decoder_model_merged_session_ms").getAsDouble() < one.get("load_ms").getAsDouble(),
                    "a part of the load: " + one);
            // the process's start, the JVM's and the command's come before the load (10 ms clock ticks)
            assertTrue(one.get("exec_to_ready_ms").getAsDouble() > one.get("load_ms").getAsDouble() - 20,
                    "from the process's start: " + one);
            assertTrue(one.get("exec_to_ready_ms").getAsDouble() < one.get("load_ms").getAsDouble() + 60_000,
                    "from this process's start, not the machine's: " + one);
        }
    }

    @Test
    void timeSinceExecCountsFromThisProcesssStart() {
        double jvmUptime = ManagementFactory.getRuntimeMXBean().getUptime();
        double sinceExec = BenchRunCommand.millisSinceExec();
        // the JVM starts after the exec; both clocks step in 10 ms
        assertTrue(sinceExec >= jvmUptime - 20, sinceExec + " ms since exec, JVM up " + jvmUptime + " ms");
        assertTrue(sinceExec < jvmUptime + 5_000, sinceExec + " ms since exec, JVM up " + jvmUptime + " ms");
    }

    @Test
    void aTextBenchmarkOpensNoVisionEncoder() {
        CommandRun run = CommandRun.of("bench", "--model", TestModels.tinyRandom().toString(), "--tokens", "3",
                "--runs", "1", "--json", "--no-spinning");

        assertEquals(0, run.code(), run.err());
        JsonObject one = JsonParser.parseString(run.out().strip()).getAsJsonObject().getAsJsonArray("runs").get(0)
                .getAsJsonObject();
        assertTrue(one.get("load_decoder_model_merged_session_ms").getAsDouble() > 0, one.toString());
        assertTrue(!one.has("load_vision_encoder_session_ms"), "a text prompt loads the text model only: " + one);
        assertEquals(0, one.get("vision_ms").getAsDouble(), 1, "no picture, no encoder run: " + one);
    }

    @Test
    void eachRunIsLaunchedWithTheBenchmarksHotSpotOptions() {
        String launchedWith = String.join(" ", BenchRunCommand.jvmOptions());
        assertTrue(launchedWith.contains("-Xmx3g"), "the test JVM's own options (app/pom.xml's argLine): " + launchedWith);

        CommandRun run = CommandRun.of("bench", "--model", TestModels.tinyRandom().toString(), "--tokens", "2",
                "--runs", "1", "--json", "--no-spinning");

        assertEquals(0, run.code(), run.err());
        JsonObject summary = JsonParser.parseString(run.out().strip()).getAsJsonObject();
        assertEquals(launchedWith, summary.get("jvm_options").getAsString(), "the run reports what it was given");
    }

    @Test
    void aQwenVlModelIsBenchmarkedWithoutAnyOtherOption() {
        Path image = TestModels.repoRoot().resolve("scripts/reference/images/large-1200x800.jpg");
        Path qwen = TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-qwen2-vl");
        CommandRun run = CommandRun.of("bench", "--model", qwen.toString(), "--image", image.toString(), "--tokens", "4",
                "--runs", "1", "--json", "--no-spinning");

        assertEquals(0, run.code(), run.err());
        JsonObject one = JsonParser.parseString(run.out().strip()).getAsJsonObject().getAsJsonArray("runs").get(0)
                .getAsJsonObject();
        assertEquals(4, one.get("generated_tokens").getAsInt());
        assertTrue(one.get("vision_ms").getAsDouble() > 0, "the picture went through the vision encoder: " + one);
        assertTrue(one.get("followup_reused_tokens").getAsInt() > 64, "the follow-up reuses the picture's prefix: " + one);
        assertEquals("fused", one.get("decoder_graph").getAsString(), "M-RoPE applied before GroupQueryAttention: " + one);
    }

    @Test
    void aRunThatFailsMakesTheBenchFailWithTheBadInputCode() {
        CommandRun run = CommandRun.of("bench", "--model", dir.resolve("missing").toString(), "--runs", "1", "--json");

        assertEquals(2, run.code());
    }
}
