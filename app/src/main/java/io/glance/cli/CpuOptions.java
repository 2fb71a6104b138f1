package io.glance.cli;

import io.glance.onnx.CpuThreading;
import io.glance.onnx.fusion.DecoderChoice;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.List;

/**
 * The {@code --threads}, {@code --[no-]spinning} and {@code --decoder} options of every command that runs a model
 * (a picocli mixin): how ONNX Runtime may use the CPU, and which decoder graph runs there. Filled by picocli on the command's thread; read-only after.
 */
public final class CpuOptions {
    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads per session (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--spinning", negatable = true, description = "Let the decoder's idle ONNX Runtime threads "
            + "busy-wait between parallel sections: faster decoding on an otherwise idle machine, slower when other "
            + "programs want the cores (default: on; the window never spins).")
    Boolean spinning; // null when not given: a negatable option with a default of true would read --spinning as false

    @Option(names = "--decoder", paramLabel = "GRAPH", converter = DecoderChoiceConverter.class,
            description = "Decoder graph on the CPU: fused (the published graph rewritten into ONNX Runtime's fused "
                    + "operators, same arithmetic, checked against it; built once and cached), fused-int8 (also "
                    + "computes 4-bit layers with int8 activations: faster, slightly different numbers) or published "
                    + "(default: fused).")
    DecoderChoice decoder = DecoderChoice.DEFAULT;

    /** The threading these options ask for. */
    CpuThreading threading() {
        return new CpuThreading(threads, spinning(), decoder);
    }

    /** The same options as command-line arguments, for a child process. */
    List<String> asArguments() {
        return List.of("--threads", Integer.toString(threads), spinning() ? "--spinning" : "--no-spinning",
                "--decoder", decoder.cliName());
    }

    /** Parses {@code --decoder}'s value, naming the accepted ones when it is none of them. */
    static final class DecoderChoiceConverter implements ITypeConverter<DecoderChoice> {
        @Override
        public DecoderChoice convert(String value) {
            try {
                return DecoderChoice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    private boolean spinning() {
        return spinning == null ? CpuThreading.COMMAND_LINE_SPINNING : spinning;
    }
}
