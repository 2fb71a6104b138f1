package io.glance;

import io.glance.cli.AskCommand;
import io.glance.cli.BenchCommand;
import io.glance.cli.BenchRunCommand;
import io.glance.cli.EvalCommand;
import io.glance.cli.ModelLocator;
import io.glance.cli.ModelsCommand;
import io.glance.cli.UsageException;
import io.glance.generation.GenerationException;
import io.glance.model.InvalidModelException;
import io.glance.vision.ImageLoadException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Arrays;

/**
 * Composition root: switches off the third-party libraries' network habits, then runs a CLI command.
 * Exit codes: 0 success, 2 bad input (missing model, unreadable image, bad option), 1 inference failure.
 */
@Command(name = "glance", mixinStandardHelpOptions = true, version = "Glance 0.1.0",
        description = "Ask questions about what a camera sees, answered by a local vision-language model.")
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; never calls {@code System.exit}. */
    public static int run(String... args) {
        Privacy.apply();
        boolean verbose = Arrays.asList(args).contains("--verbose");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
        ModelLocator locator = new ModelLocator();
        CommandLine commandLine = new CommandLine(new Main())
                .addSubcommand(new AskCommand(locator))
                .addSubcommand(new BenchCommand())
                .addSubcommand(new BenchRunCommand())
                .addSubcommand(new EvalCommand(locator))
                .addSubcommand(new ModelsCommand(locator));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (verbose) {
                e.printStackTrace();
            }
            boolean badInput = e instanceof UsageException || e instanceof InvalidModelException
                    || e instanceof ImageLoadException;
            String kind = e instanceof GenerationException ? "inference failed: " : "";
            System.err.println("glance: " + kind + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return badInput ? 2 : 1;
        });
        return commandLine.execute(rest);
    }
}
