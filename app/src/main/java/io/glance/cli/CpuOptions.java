package io.glance.cli;

import io.glance.onnx.CpuThreading;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The {@code --threads} and {@code --[no-]spinning} options of every command that runs a model (a picocli
 * mixin): how ONNX Runtime may use the CPU. Filled by picocli on the command's thread; read-only after.
 */
public final class CpuOptions {
    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads per session (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--spinning", negatable = true, description = "Let the decoder's idle ONNX Runtime threads "
            + "busy-wait between parallel sections: faster decoding on an otherwise idle machine, slower when other "
            + "programs want the cores (default: on; the window never spins).")
    Boolean spinning; // null when not given: a negatable option with a default of true would read --spinning as false

    /** The threading these options ask for. */
    CpuThreading threading() {
        return new CpuThreading(threads, spinning());
    }

    /** The same options as command-line arguments, for a child process. */
    List<String> asArguments() {
        return List.of("--threads", Integer.toString(threads), spinning() ? "--spinning" : "--no-spinning");
    }

    private boolean spinning() {
        return spinning == null ? CpuThreading.COMMAND_LINE_SPINNING : spinning;
    }
}
