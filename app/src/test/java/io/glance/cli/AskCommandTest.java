package io.glance.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.glance.TestModels;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code ask} command line contract: JSON fields, streaming, exit codes and one-line errors. */
class AskCommandTest {
    @TempDir
    static Path dir;
    private static Path image;

    @BeforeAll
    static void writeImage() {
        OpenCvLibrary.ensureLoaded();
        image = dir.resolve("scene.png");
        Imgcodecs.imwrite(image.toString(), new Mat(48, 64, CvType.CV_8UC3, new Scalar(0, 200, 0)));
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void jsonHoldsTheContractFields() {
        CommandRun run = run("ask", "--model", TestModels.tinyRandom().toString(), "--image", image.toString(),
                "--max-new-tokens", "4", "--device", "cpu", "--json", "What is this?");
        assertEquals(0, run.code(), run.err());
        JsonObject json = JsonParser.parseString(run.out().strip()).getAsJsonObject();
        for (String field : new String[] {"text", "token_ids", "finish_reason", "prompt_tokens", "provider", "fallback_reason", "timings"}) {
            assertTrue(json.has(field), "missing " + field + " in " + run.out());
        }
        assertTrue(json.get("fallback_reason").isJsonNull());
        assertEquals("cpu", json.get("provider").getAsString());
        assertTrue(json.get("token_ids").getAsJsonArray().size() <= 4);
        assertTrue(json.get("prompt_tokens").getAsInt() > 16);
        JsonObject timings = json.getAsJsonObject("timings");
        for (String field : new String[] {"load_ms", "image_ms", "prefill_ms", "ttft_ms", "decode_tokens_per_s"}) {
            assertTrue(timings.has(field), "missing timings." + field);
        }
        assertTrue(timings.get("load_ms").getAsDouble() > 0);
    }

    @Test
    void aPictureTheFamilyCannotReadIsBadInputWithTheReason() {
        Path thin = image.resolveSibling("thin.png");
        Imgcodecs.imwrite(thin.toString(), new Mat(10, 3000, CvType.CV_8UC3, new Scalar(0, 0, 200)));
        Path qwen = TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-qwen2-vl");
        CommandRun run = run("ask", "--model", qwen.toString(), "--image", thin.toString(), "What is this?");
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("300 times as long as it is wide"), run.err());
    }

    @Test
    void anOptionGivenTwiceTakesTheLastValue() {
        CommandRun run = run("ask", "--model", TestModels.tinyRandom().toString(), "--dtype", "fp16", "--dtype", "q4",
                "--max-new-tokens", "2", "--json", "Hi");
        assertEquals(0, run.code(), "the folder has no fp16, so the first --dtype would fail: " + run.err());
        assertEquals("q4", JsonParser.parseString(run.out().strip()).getAsJsonObject().get("precision").getAsString());
    }

    @Test
    void withoutJsonTheAnswerStreamsToStdout() {
        CommandRun run = run("ask", "--model", TestModels.tinyRandom().toString(), "--max-new-tokens", "3", "--device", "cpu",
                "Hello?");
        assertEquals(0, run.code(), run.err());
        assertFalse(run.out().isBlank());
        assertFalse(run.out().strip().startsWith("{"));
        assertFalse(Character.isWhitespace(run.out().charAt(0)), "the answer starts with white space: '" + run.out() + "'");
    }

    @Test
    void badInputIsOneLineOnStderrAndExitCodeTwo() throws Exception {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        String[][] cases = {
                {"ask", "--model", TestModels.tinyRandom().toString(), "--image", text.toString(), "Hi"},
                {"ask", "--model", TestModels.tinyRandom().toString(), "--image", dir.resolve("missing.jpg").toString(), "Hi"},
                {"ask", "--model", dir.resolve("no-model").toString(), "Hi"},
                {"ask", "--model", TestModels.tinyRandom().toString(), "--dtype", "q3", "Hi"},
                {"ask", "--model", TestModels.tinyRandom().toString(), "--dtype", "fp16", "Hi"},
                {"ask", "--model", TestModels.tinyRandom().toString(), "--device", "tpu", "Hi"},
        };
        for (String[] args : cases) {
            CommandRun run = run(args);
            assertEquals(2, run.code(), String.join(" ", args) + "\n" + run.err());
            assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
            assertTrue(run.err().startsWith("glance: "), run.err());
            assertFalse(run.err().contains("Exception"), "no stack trace: " + run.err());
        }
    }
}
