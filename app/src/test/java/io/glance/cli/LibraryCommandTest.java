package io.glance.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.glance.TestModels;
import io.glance.library.LibraryIndex;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code caption} and {@code search} command lines on the tiny random model: index fields, re-runs, export, errors. */
class LibraryCommandTest {
    @TempDir
    static Path dir;
    private static Path photos;

    @BeforeAll
    static void writeImages() throws IOException {
        OpenCvLibrary.ensureLoaded();
        photos = dir.resolve("photos");
        Files.createDirectories(photos.resolve("sub"));
        Imgcodecs.imwrite(photos.resolve("green.png").toString(), new Mat(48, 64, CvType.CV_8UC3, new Scalar(0, 200, 0)));
        Imgcodecs.imwrite(photos.resolve("sub/blue.jpg").toString(), new Mat(40, 30, CvType.CV_8UC3, new Scalar(200, 0, 0)));
        Files.writeString(photos.resolve("broken.png"), "not a png");
        Files.writeString(photos.resolve("notes.txt"), "not an image");
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    private static CommandRun caption(String... extra) {
        String[] base = {"caption", photos.toString(), "--model", TestModels.tinyRandom().toString(), "--dtype", "fp32",
                "--device", "cpu", "--threads", "1", "--max-new-tokens", "3"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return run(args);
    }

    @Test
    void aQwenVlModelCaptionsAFolder() throws IOException {
        Path folder = dir.resolve("qwen-photos");
        Files.createDirectories(folder);
        Files.copy(TestModels.repoRoot().resolve("scripts/reference/images/exif-rotated-160x96.jpg"),
                folder.resolve("rotated.jpg"));
        CommandRun run = run("caption", folder.toString(), "--model",
                TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-qwen2.5-vl").toString(),
                "--dtype", "q4", "--device", "cpu", "--max-new-tokens", "3");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("1 images: 1 captioned"), run.out());
        JsonObject index = JsonParser.parseString(Files.readString(folder.resolve(LibraryIndex.DEFAULT_FILE_NAME)))
                .getAsJsonObject();
        assertEquals(1, index.getAsJsonArray("images").size());
    }

    @Test
    void captionWritesTheIndexReRunsSkipUnchangedFilesAndSearchAndExportReadIt() throws IOException {
        CommandRun first = caption("--recursive", "--prompt", "What is this?");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("3 images: 2 captioned, 0 unchanged, 1 skipped, 0 removed"), first.out());
        assertTrue(first.out().contains("img/min); 1 other file skipped"), first.out());
        assertTrue(first.out().contains("skipped broken.png: not a supported image"), first.out());
        assertTrue(first.out().contains("skipped notes.txt: not an image file (captioned: .bmp, .jpeg, .jpg, .png, .webp)"),
                first.out());
        assertFalse(first.out().contains("skipped " + LibraryIndex.DEFAULT_FILE_NAME), first.out());
        assertTrue(first.err().contains("3/3 files"), first.err());
        assertTrue(first.err().contains("img/min"), first.err());

        Path indexFile = photos.resolve(LibraryIndex.DEFAULT_FILE_NAME);
        JsonObject index = JsonParser.parseString(Files.readString(indexFile)).getAsJsonObject();
        JsonArray images = index.getAsJsonArray("images");
        assertEquals(2, images.size());
        JsonObject green = images.get(0).getAsJsonObject();
        assertEquals("green.png", green.get("path").getAsString());
        assertEquals("tiny-random", green.get("model").getAsString());
        assertEquals("fp32", green.get("precision").getAsString());
        assertEquals("What is this?", green.get("prompt").getAsString());
        assertEquals(64, green.get("width").getAsInt());
        assertEquals(48, green.get("height").getAsInt());
        assertEquals(64, green.get("sha256").getAsString().length());
        assertEquals("sub/blue.jpg", images.get(1).getAsJsonObject().get("path").getAsString());
        assertEquals("broken.png", index.getAsJsonArray("skipped").get(0).getAsJsonObject().get("path").getAsString());

        CommandRun again = caption("--recursive", "--prompt", "What is this?");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().startsWith("3 images: 0 captioned, 2 unchanged, 1 skipped"), again.out());
        assertFalse(again.out().contains("skipped " + LibraryIndex.DEFAULT_FILE_NAME), "the index file: " + again.out());

        String someWord = green.get("caption").getAsString().strip().split("\\s+")[0];
        CommandRun search = run("search", photos.toString(), someWord, "--json");
        assertEquals(0, search.code(), search.err());
        JsonArray hits = JsonParser.parseString(search.out()).getAsJsonArray();
        for (var hit : hits) {
            assertTrue(hit.getAsJsonObject().has("score"));
            assertTrue(Files.isRegularFile(Path.of(hit.getAsJsonObject().get("file").getAsString())));
        }

        Path csv = dir.resolve("library.csv");
        CommandRun export = run("search", "--index", indexFile.toString(), "--export", "csv", "--to", csv.toString());
        assertEquals(0, export.code(), export.err());
        assertEquals(3, Files.readAllLines(csv).size());
        assertTrue(Files.readAllLines(csv).get(0).startsWith("path,caption,model,precision,prompt"));
    }

    @Test
    void outChoosesTheIndexFile() throws IOException {
        Path out = dir.resolve("elsewhere/index.json");
        CommandRun run = caption("--out", out.toString(), "--prompt", "Describe.");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("index: " + out), run.out());
        assertEquals(1, JsonParser.parseString(Files.readString(out)).getAsJsonObject().getAsJsonArray("images").size());
        CommandRun search = run("search", "--index", out.toString(), "anything", "--limit", "1");
        assertEquals(0, search.code(), search.err());
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        CommandRun notAFolder = run("caption", dir.resolve("missing").toString());
        assertEquals(2, notAFolder.code());
        assertTrue(notAFolder.err().contains("not a folder"), notAFolder.err());

        CommandRun noIndex = run("search", dir.toString(), "red");
        assertEquals(2, noIndex.code());
        assertTrue(noIndex.err().contains("no such index file"), noIndex.err());

        CommandRun noFolder = run("search", "red", "circle");
        assertEquals(2, noFolder.code());
        assertTrue(noFolder.err().contains("give the image folder"), noFolder.err());

        CommandRun badFormat = run("search", "--index", "x.json", "--export", "xml", "--to", "y");
        assertEquals(2, badFormat.code());
    }
}
