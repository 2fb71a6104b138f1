package io.glance;

import io.glance.cli.AskCommand;
import io.glance.cli.BenchCommand;
import io.glance.cli.BenchRunCommand;
import io.glance.cli.CaptionCommand;
import io.glance.cli.ClassifyCommand;
import io.glance.cli.EmbedCommand;
import io.glance.cli.EvalCommand;
import io.glance.cli.ModelsCommand;
import io.glance.cli.SearchCommand;
import io.glance.cli.SimilarCommand;
import io.glance.cli.UsageException;
import io.glance.generation.GenerationException;
import io.glance.generation.UnsupportedPictureException;
import io.glance.model.InvalidModelException;
import io.glance.onnx.OrtShutdownGuard;
import io.glance.os.ThreadNiceness;
import io.glance.prompt.TextTokenizer;
import io.glance.session.ModelLocator;
import io.glance.settings.UserFolders;
import io.glance.vision.ImageLoadException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Composition root: switches off the third-party libraries' network habits, points the native libraries at
 * their copies in the user's cache folder, then runs a CLI command, or
 * opens the desktop app when no command is given.
 * Exit codes: 0 success, 2 bad input (missing model, unreadable image, bad option), 1 inference failure.
 */
@Command(name = "glance", mixinStandardHelpOptions = true, version = "Glance 0.1.0",
        description = "Ask questions about what a camera sees, answered by a local vision-language model.")
public final class Main implements Callable<Integer> {
    @Option(names = "--camera-file", paramLabel = "FILE",
            description = "Desktop app: an MJPG AVI video or an image folder standing in for the camera.")
    Path cameraFile;

    @Option(names = "--model", paramLabel = "DIR", description = "Desktop app: the model folder (default: the installed or bundled model).")
    Path model;

    @Option(names = "--fps-log", hidden = true, description = "Desktop app: print the camera preview frame rate every second.")
    boolean fpsLog;

    private Main() {
    }

    /** No command given: opens the desktop app and returns when its window closes. */
    @Override
    public Integer call() {
        GlanceApp.launch(new GlanceApp.Options(cameraFile, model, null, true, fpsLog));
        return 0;
    }

    /** Runs the command line and exits with its code; SIGTERM and SIGINT end it cleanly at any moment. */
    public static void main(String[] args) {
        OrtShutdownGuard.installSignalHandlers();
        OrtShutdownGuard.exit(run(args));
    }

    /** Runs a command line and returns its exit code; never calls {@code System.exit}. */
    public static int run(String... args) {
        Privacy.apply();
        NativeLibraryCache.prepare(UserFolders.fromSystem().cacheDir());
        boolean verbose = Arrays.asList(args).contains("--verbose");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--verbose")).toArray(String[]::new);
        Optional<GlanceApp.Options> desktop = desktopOptions(rest);
        if (desktop.isPresent()) {
            GlanceApp.launch(desktop.get());
            return 0;
        }
        warmUpInTheBackground();
        CommandLine commandLine = commandTree(rest.length == 0 ? null : rest[0]);
        commandLine.setOverwrittenOptionsAllowed(true); // an option given twice: the last one counts, as in most tools
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (verbose) {
                e.printStackTrace();
            }
            boolean badInput = e instanceof UsageException || e instanceof InvalidModelException
                    || e instanceof ImageLoadException || e instanceof UnsupportedPictureException;
            String kind = e instanceof GenerationException ? "inference failed: " : "";
            System.err.println("glance: " + kind + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return badInput ? 2 : 1;
        });
        return commandLine.execute(rest);
    }

    /**
     * On a thread of its own that the command does not wait for: loads the tokenizers library, which a model's load
     * would otherwise wait for (about 90 ms), while picocli reads the command line; then has the JIT compilers give
     * way to the model's threads, as the window does (the first call loads JNA, about 85 ms).
     */
    private static void warmUpInTheBackground() {
        Thread thread = new Thread(() -> {
            TextTokenizer.loadLibrary();
            ThreadNiceness.lowerThreadsNamed(ThreadNiceness.JIT_COMPILER_THREADS);
        }, "glance-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The desktop app's options when the arguments hold nothing else (none, or only {@code --camera-file},
     * {@code --model} and {@code --fps-log}); empty otherwise. The window then starts without picocli, whose
     * reflection and class loading cost about 0.25 s before the first frame; anything else (help, a command, a
     * malformed option) goes through the command tree and its messages.
     */
    static Optional<GlanceApp.Options> desktopOptions(String[] args) {
        Path cameraFile = null;
        Path model = null;
        boolean fpsLog = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--fps-log")) {
                    fpsLog = true;
                } else if (arg.startsWith("--camera-file=")) {
                    cameraFile = Path.of(arg.substring("--camera-file=".length()));
                } else if (arg.startsWith("--model=")) {
                    model = Path.of(arg.substring("--model=".length()));
                } else if (arg.equals("--camera-file") && i + 1 < args.length) {
                    cameraFile = Path.of(args[++i]);
                } else if (arg.equals("--model") && i + 1 < args.length) {
                    model = Path.of(args[++i]);
                } else {
                    return Optional.empty();
                }
            }
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        return Optional.of(new GlanceApp.Options(cameraFile, model, null, true, fpsLog));
    }

    /** Every command and sub-command, each with {@code -h/--help}; {@link #run} adds error handling to it. */
    public static CommandLine commandTree() {
        return commandTree(null);
    }

    /**
     * The tree for a command line whose first argument is {@code first}: only that command (and {@code help})
     * under the root when it names one, every command otherwise (no command, {@code help}, an option, a typo).
     * picocli models each command it is given by reflection; in a fresh JVM the whole tree took 160–190 ms.
     */
    static CommandLine commandTree(String first) {
        ModelLocator locator = new ModelLocator(UserFolders.fromSystem(), Main::printNotice);
        List<Object> commands = List.of(new AskCommand(locator), new BenchCommand(), new BenchRunCommand(),
                new CaptionCommand(locator), new ClassifyCommand(locator), new EmbedCommand(locator),
                new EvalCommand(locator), new ModelsCommand(locator), new SearchCommand(locator),
                new SimilarCommand(locator));
        List<Object> named = commands.stream()
                .filter(command -> command.getClass().getAnnotation(Command.class).name().equals(first))
                .toList();
        CommandLine commandLine = new CommandLine(new Main());
        (named.isEmpty() ? commands : named).forEach(commandLine::addSubcommand);
        commandLine.addSubcommand(new CommandLine.HelpCommand());
        addHelpOptions(commandLine);
        return commandLine;
    }

    /**
     * Gives every sub-command, at any depth, {@code -h/--help} (usage on stdout, exit 0), and every command
     * with sub-commands a {@code help} one ({@code glance models help pull}), so a command added later has them
     * without remembering to ask; the root already has {@code -h/--help} with {@code -V/--version}.
     */
    private static void addHelpOptions(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.options().stream().noneMatch(OptionSpec::usageHelp)) {
                spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build());
            }
            if (!sub.getSubcommands().isEmpty() && !sub.getSubcommands().containsKey("help")) {
                sub.addSubcommand(new CommandLine.HelpCommand());
            }
            addHelpOptions(sub);
        }
    }

    /** Prints a message for people that is not a command's output: one line on stderr, after {@code glance: }. */
    static void printNotice(String message) {
        System.err.println("glance: " + message);
    }
}
