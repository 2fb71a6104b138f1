package io.glance.ui.speech;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads text aloud offline through the operating system's own speech: {@code say} on macOS, SAPI through
 * PowerShell on Windows, {@code espeak-ng} on Linux when installed. Speaking starts a process and returns;
 * a new text stops the one being spoken. Thread-safe.
 */
public final class SpeechOutput {
    private final List<String> command;
    private Process speaking;

    private SpeechOutput(List<String> command) {
        this.command = command;
    }

    /** The speech this machine offers, or empty (the option is then hidden). */
    public static Optional<SpeechOutput> detect() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") && onPath("say")) {
            return Optional.of(new SpeechOutput(List.of("say")));
        }
        if (os.startsWith("windows") && onPath("powershell.exe")) {
            return Optional.of(new SpeechOutput(List.of("powershell.exe", "-NoProfile", "-Command",
                    "Add-Type -AssemblyName System.Speech; "
                            + "(New-Object System.Speech.Synthesis.SpeechSynthesizer).Speak([Console]::In.ReadToEnd())")));
        }
        if (onPath("espeak-ng")) {
            return Optional.of(new SpeechOutput(List.of("espeak-ng", "--stdin")));
        }
        return Optional.empty();
    }

    /** Starts reading {@code text} aloud, stopping what was being read. */
    public synchronized void speak(String text) {
        stop();
        try {
            speaking = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            speaking.getOutputStream().write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            speaking.getOutputStream().close();
        } catch (IOException e) {
            speaking = null;
        }
    }

    /** Stops reading aloud. */
    public synchronized void stop() {
        if (speaking != null) {
            speaking.destroy();
            speaking = null;
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
