package io.glance.ui.desktop;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a file, or shows it in its folder, with the desktop's own applications. Implementations may block
 * while the desktop is asked, so call them on the I/O thread; they must be safe on any thread.
 */
public interface FileOpener {

    /** Opens {@code file} in the application the desktop associates with it. */
    void open(Path file) throws IOException;

    /** Shows {@code file} in the desktop's file manager (its folder, where the file cannot be selected). */
    void reveal(Path file) throws IOException;

    /** The desktop's: {@link java.awt.Desktop} where it supports the action, else {@code open} or {@code xdg-open}. */
    static FileOpener desktop() {
        return new DesktopFileOpener();
    }
}
