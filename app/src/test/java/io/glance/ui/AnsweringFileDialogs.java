package io.glance.ui;

import io.glance.ui.desktop.FileDialogs;
import javafx.stage.Window;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * {@link FileDialogs} for window tests: each dialog takes the next answer the test queued (none queued: the
 * person cancelled) and its title is kept, so a test can tell which dialog the window opened. Thread-safe.
 */
final class AnsweringFileDialogs implements FileDialogs {
    private final Deque<List<Path>> answers = new ArrayDeque<>();
    private final List<String> titles = new ArrayList<>();

    /** The next dialog chooses these paths. */
    synchronized void willChoose(Path... paths) {
        answers.add(List.of(paths));
    }

    /** The titles of the dialogs opened so far. */
    synchronized List<String> titles() {
        return List.copyOf(titles);
    }

    @Override
    public synchronized Path chooseFolder(Window owner, String title) {
        List<Path> answer = next(title);
        return answer.isEmpty() ? null : answer.get(0);
    }

    @Override
    public synchronized List<Path> chooseFiles(Window owner, String title, String kind, List<String> patterns) {
        return next(title);
    }

    @Override
    public synchronized Path chooseFileToSave(Window owner, String title, String kind, String pattern,
                                              String initialName) {
        List<Path> answer = next(title);
        return answer.isEmpty() ? null : answer.get(0);
    }

    private List<Path> next(String title) {
        titles.add(title);
        return answers.isEmpty() ? List.of() : answers.poll();
    }
}
