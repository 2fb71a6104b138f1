package io.glance.cli;

import io.glance.onnx.CpuThreading;
import io.glance.onnx.fusion.DecoderChoice;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The option groups the model commands share, as picocli reads them: {@code --threads},
 * {@code --[no-]spinning} and {@code --decoder}; {@code --[no-]split} and {@code --longest-edge} (left out, the model decides).
 */
class CommandOptionsTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        CpuOptions cpu = new CpuOptions();
        @Mixin
        TilingOptions tiling = new TilingOptions();
    }

    private static Probe parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe;
    }

    private static CpuOptions cpu(String... args) {
        return parse(args).cpu;
    }

    private static TilingOptions tiling(String... args) {
        return parse(args).tiling;
    }

    @Test
    void spinningIsOnUnlessSwitchedOffAndTheFlagsMeanWhatTheySay() {
        assertEquals(CpuThreading.COMMAND_LINE_SPINNING, cpu().threading().decoderSpinning());
        assertEquals(true, cpu("--spinning").threading().decoderSpinning());
        assertEquals(false, cpu("--no-spinning").threading().decoderSpinning());
        assertEquals(new CpuThreading(3, false), cpu("--threads", "3", "--no-spinning").threading());
    }

    @Test
    void theDecoderGraphIsFusedUnlessAskedOtherwise() {
        assertEquals(DecoderChoice.FUSED, cpu().threading().decoder());
        assertEquals(DecoderChoice.PUBLISHED, cpu("--decoder", "published").threading().decoder());
        assertEquals(DecoderChoice.FUSED_INT8, cpu("--decoder", "fused-int8").threading().decoder());
        CommandLine.ParameterException wrong = assertThrows(CommandLine.ParameterException.class, () -> cpu("--decoder", "fast"));
        assertTrue(wrong.getMessage().contains("expected published, fused or fused-int8"), wrong.getMessage());
    }

    @Test
    void aChildProcessGetsTheSameCpuSettings() {
        for (String[] args : new String[][] {{}, {"--spinning"}, {"--no-spinning", "--threads", "1"}, {"--decoder", "published"},
                {"--decoder", "fused-int8"}}) {
            CpuOptions given = cpu(args);
            CpuOptions passedOn = cpu(given.asArguments().toArray(String[]::new));
            assertEquals(given.threading(), passedOn.threading(), String.join(" ", args));
        }
    }

    @Test
    void tilingLeftOutMeansTheModelDecidesAndNothingIsPassedOn() {
        TilingOptions none = tiling();
        assertNull(none.split);
        assertNull(none.longestEdge);
        assertEquals(List.of(), none.asArguments());
    }

    @Test
    void givenTilingOptionsReachAChildProcessUnchanged() {
        for (String[] args : new String[][] {{"--split"}, {"--no-split", "--longest-edge", "1024"}, {"--longest-edge", "512"}}) {
            TilingOptions given = tiling(args);
            assertEquals(List.of(args), given.asArguments());
            TilingOptions passedOn = tiling(given.asArguments().toArray(String[]::new));
            assertEquals(given.split, passedOn.split);
            assertEquals(given.longestEdge, passedOn.longestEdge);
        }
        assertEquals(false, tiling("--no-split").split);
    }
}
