package io.glance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which command lines only open the desktop app, so that the full command tree need not be built first. */
class MainTest {

    @Test
    void onlyTheDesktopAppsOwnOptionsSkipTheCommandTree() {
        assertTrue(Main.isDesktopLaunch(new String[0]));
        assertTrue(Main.isDesktopLaunch(new String[] {"--model", "ask", "--camera-file=scenes", "--fps-log"}));
        assertFalse(Main.isDesktopLaunch(new String[] {"ask", "What is it?"}));
        assertFalse(Main.isDesktopLaunch(new String[] {"--help"}));
        assertFalse(Main.isDesktopLaunch(new String[] {"--version"}));
        assertFalse(Main.isDesktopLaunch(new String[] {"--model", "dir", "models", "list"}));
    }
}
