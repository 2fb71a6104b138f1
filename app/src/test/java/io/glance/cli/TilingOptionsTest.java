package io.glance.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code --[no-]split} and {@code --longest-edge}: left out means the model's own setting; passed on as given. */
class TilingOptionsTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        TilingOptions tiling = new TilingOptions();
    }

    private static TilingOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.tiling;
    }

    @Test
    void leftOutMeansTheModelDecidesAndNothingIsPassedOn() {
        TilingOptions none = parse();
        assertNull(none.split);
        assertNull(none.longestEdge);
        assertEquals(List.of(), none.asArguments());
    }

    @Test
    void givenOptionsReachAChildProcessUnchanged() {
        for (String[] args : new String[][] {{"--split"}, {"--no-split", "--longest-edge", "1024"}, {"--longest-edge", "512"}}) {
            TilingOptions given = parse(args);
            assertEquals(List.of(args), given.asArguments());
            TilingOptions passedOn = parse(given.asArguments().toArray(String[]::new));
            assertEquals(given.split, passedOn.split);
            assertEquals(given.longestEdge, passedOn.longestEdge);
        }
        assertEquals(false, parse("--no-split").split);
    }
}
