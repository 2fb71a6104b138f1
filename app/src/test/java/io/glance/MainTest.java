package io.glance;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which command lines only open the desktop app (read without picocli), and what they set; which commands the
 * command tree models for a command line.
 */
class MainTest {

    @Test
    void onlyTheDesktopAppsOwnOptionsSkipTheCommandTree() {
        GlanceApp.Options none = Main.desktopOptions(new String[0]).orElseThrow();
        assertNull(none.cameraFile());
        assertNull(none.modelDir());
        assertFalse(none.fpsLog());
        assertTrue(none.discoverCameras());

        GlanceApp.Options all = Main.desktopOptions(
                new String[] {"--model", "ask", "--camera-file=scenes", "--fps-log"}).orElseThrow();
        assertEquals(Path.of("ask"), all.modelDir(), "a value that looks like a command is the option's value");
        assertEquals(Path.of("scenes"), all.cameraFile());
        assertTrue(all.fpsLog());
        assertEquals(Path.of("later"), Main.desktopOptions(new String[] {"--model=first", "--model", "later"})
                .orElseThrow().modelDir(), "the last one counts, as in the command tree");

        assertTrue(Main.desktopOptions(new String[] {"ask", "What is it?"}).isEmpty());
        assertTrue(Main.desktopOptions(new String[] {"--help"}).isEmpty());
        assertTrue(Main.desktopOptions(new String[] {"--version"}).isEmpty());
        assertTrue(Main.desktopOptions(new String[] {"--model", "dir", "models", "list"}).isEmpty());
        assertTrue(Main.desktopOptions(new String[] {"--model"}).isEmpty(), "a missing value is picocli's to report");
    }

    @Test
    void aNamedCommandIsTheOnlyOneModelledBesidesHelp() {
        assertEquals(Set.of("ask", "help"), Main.commandTree("ask").getSubcommands().keySet());
        assertEquals(Set.of("models", "help"), Main.commandTree("models").getSubcommands().keySet());
        assertTrue(Main.commandTree("models").getSubcommands().get("models").getSubcommands().containsKey("pull"),
                "with its own sub-commands");
        Set<String> every = Main.commandTree().getSubcommands().keySet();
        assertTrue(every.containsAll(Set.of("ask", "bench", "caption", "models", "search", "help")), every.toString());
        for (String notACommand : new String[] {"help", "--help", "aks", "--model"}) {
            assertEquals(every, Main.commandTree(notACommand).getSubcommands().keySet(), notACommand);
        }
        assertEquals(every, Main.commandTree(null).getSubcommands().keySet());
    }
}
