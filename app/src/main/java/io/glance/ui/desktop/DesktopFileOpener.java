package io.glance.ui.desktop;

import java.awt.Desktop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@link FileOpener} through the desktop: {@link Desktop} when it supports the action, else {@code open}
 * (macOS) or {@code xdg-open}. Blocks while the desktop is asked; stateless, safe on any thread.
 */
final class DesktopFileOpener implements FileOpener {

    @Override
    public void open(Path file) throws IOException {
        if (supports(Desktop.Action.OPEN)) {
            Desktop.getDesktop().open(file.toFile());
        } else {
            launch(file);
        }
    }

    @Override
    public void reveal(Path file) throws IOException {
        if (supports(Desktop.Action.BROWSE_FILE_DIR)) {
            Desktop.getDesktop().browseFileDirectory(file.toFile());
        } else {
            open(file.toAbsolutePath().getParent());
        }
    }

    private static boolean supports(Desktop.Action action) {
        return Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(action);
    }

    private static void launch(Path target) throws IOException {
        boolean mac = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
        new ProcessBuilder(mac ? "open" : "xdg-open", target.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
