package io.glance.ui;

import io.glance.ui.desktop.FileOpener;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link FileOpener} for window tests: asks no desktop, keeps each call as "open FILE" or "reveal FILE". Thread-safe. */
final class RecordingFileOpener implements FileOpener {
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void open(Path file) {
        calls.add("open " + file);
    }

    @Override
    public void reveal(Path file) {
        calls.add("reveal " + file);
    }

    /** The calls so far, oldest first. */
    List<String> calls() {
        return List.copyOf(calls);
    }
}
