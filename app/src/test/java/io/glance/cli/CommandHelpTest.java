package io.glance.cli;

import io.glance.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command and sub-command of the tree {@link Main#commandTree()} builds answers {@code --help}, {@code -h}
 * and {@code help COMMAND} (at the level where the command is) with its usage on stdout and exit code 0, and names its option values (no picocli
 * {@code <argN>} placeholders). The commands are discovered from the tree, so a new one is covered too.
 */
class CommandHelpTest {
    private static final Pattern UNNAMED_PLACEHOLDER = Pattern.compile("<arg\\d+>");

    /** The command paths below the root, e.g. {@code [ask]}, {@code [models, pull]}. */
    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandTree(), new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(CommandLine command, List<String> prefix, List<List<String>> paths) {
        for (var entry : command.getSubcommands().entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(entry.getKey());
            paths.add(path);
            collect(entry.getValue(), path, paths);
        }
    }

    private static void assertUsage(CommandRun run, List<String> path, String invocation) {
        String usageLine = "Usage: " + String.join(" ", concat("glance", path));
        assertEquals(0, run.code(), invocation + ": " + run.err());
        assertTrue(run.out().contains(usageLine + " ") || run.out().contains(usageLine + "\n"),
                invocation + " printed no '" + usageLine + "' on stdout: " + run.out());
        assertFalse(UNNAMED_PLACEHOLDER.matcher(run.out()).find(), invocation + " has an unnamed placeholder: " + run.out());
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    @Test
    void theTreeHoldsTheDocumentedCommands() {
        List<List<String>> paths = commandPaths();
        for (List<String> expected : List.of(List.of("ask"), List.of("caption"), List.of("search"), List.of("eval"),
                List.of("bench"), List.of("help"), List.of("models", "pull"), List.of("models", "list"))) {
            assertTrue(paths.contains(expected), expected + " missing from " + paths);
        }
    }

    @Test
    void everyCommandAnswersHelpAndDashHWithUsageOnStdout() {
        for (List<String> path : commandPaths()) {
            for (String flag : new String[] {"--help", "-h"}) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                assertUsage(CommandRun.of(args.toArray(String[]::new)), path, String.join(" ", args));
            }
        }
    }

    @Test
    void helpCommandShowsTheUsageOfTheCommandNamed() {
        for (List<String> path : commandPaths()) {
            List<String> args = new ArrayList<>(path);
            args.add(path.size() - 1, "help"); // "help ask", "models help pull"
            assertUsage(CommandRun.of(args.toArray(String[]::new)), path, String.join(" ", args));
        }
    }

    @Test
    void theRootAnswersHelpToo() {
        assertUsage(CommandRun.of("--help"), List.of(), "--help");
        assertUsage(CommandRun.of("help"), List.of(), "help");
    }
}
