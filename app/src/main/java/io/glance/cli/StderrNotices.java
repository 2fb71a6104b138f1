package io.glance.cli;

/** Messages for people that are not the command's output: one line each on stderr, after {@code glance: }. */
final class StderrNotices {
    private StderrNotices() {
    }

    static void print(String message) {
        System.err.println("glance: " + message);
    }
}
