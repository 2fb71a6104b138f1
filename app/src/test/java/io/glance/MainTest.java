package io.glance;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which command lines only open the desktop app (read without picocli), and what they set. */
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
}
