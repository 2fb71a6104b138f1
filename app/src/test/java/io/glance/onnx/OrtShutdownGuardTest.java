package io.glance.onnx;

import io.glance.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM while a call into ONNX Runtime is in progress, in a child JVM (about 3 s). */
class OrtShutdownGuardTest {
    private static final int SIGTERM_EXIT_STATUS = 128 + 15;

    @TempDir
    Path workingDir;

    @Test
    void sigtermWaitsForTheCallInProgressAndStopsLaterOnes() throws Exception {
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path graph = TestModels.tinyRandom().resolve("onnx").resolve("decoder_model_merged.onnx");
        Process child = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"),
                CallInProgressAtExit.class.getName(), graph.toString(), "1500")
                .directory(workingDir.toFile()).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                if (line.equals("inside")) {
                    child.toHandle().destroy(); // SIGTERM, leaving the output open (Process.destroy closes it)
                }
            }
        }
        assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the child did not end: " + output);
        assertEquals(SIGTERM_EXIT_STATUS, child.exitValue(), output.toString());
        assertTrue(output.toString().contains("finished"), "the exit did not wait for the call: " + output);
        assertFalse(output.toString().contains("second call ran"), output.toString());
        assertTrue(output.toString().contains("second call refused"), output.toString());
        try (Stream<Path> files = Files.list(workingDir)) {
            assertEquals(0, files.filter(file -> file.getFileName().toString().startsWith("hs_err")).count());
        }
    }
}
