package io.glance.cli;

import io.glance.onnx.CpuThreading;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code --threads} and {@code --[no-]spinning} as every model command reads them. */
class CpuOptionsTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        CpuOptions cpu = new CpuOptions();
    }

    private static CpuOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.cpu;
    }

    @Test
    void spinningIsOnUnlessSwitchedOffAndTheFlagsMeanWhatTheySay() {
        assertEquals(CpuThreading.COMMAND_LINE_SPINNING, parse().threading().decoderSpinning());
        assertEquals(true, parse("--spinning").threading().decoderSpinning());
        assertEquals(false, parse("--no-spinning").threading().decoderSpinning());
        assertEquals(new CpuThreading(3, false), parse("--threads", "3", "--no-spinning").threading());
    }

    @Test
    void aChildProcessGetsTheSameSettings() {
        for (String[] args : new String[][] {{}, {"--spinning"}, {"--no-spinning", "--threads", "1"}}) {
            CpuOptions given = parse(args);
            CpuOptions passedOn = parse(given.asArguments().toArray(String[]::new));
            assertEquals(given.threading(), passedOn.threading(), String.join(" ", args));
        }
    }
}
