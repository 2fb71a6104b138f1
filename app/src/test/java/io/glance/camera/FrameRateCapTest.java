package io.glance.camera;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames of cameras at different rates through a cap of 30 per second: how many are decoded in ten seconds. */
class FrameRateCapTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSixtyFramesCameraIsHalved() {
        assertEquals(300, decodedInTenSeconds(60, 30, 0), 1);
    }

    @Test
    void aFiftyFramesCameraComesOutNearTheCapNotBelowIt() {
        int decoded = decodedInTenSeconds(50, 30, 0);
        assertTrue(decoded >= 290 && decoded <= 335, decoded + " frames decoded of 500");
    }

    @Test
    void aCameraAtTheCapKeepsEveryFrameDespiteJitter() {
        assertEquals(300, decodedInTenSeconds(30, 30, 3_000_000));
        assertEquals(150, decodedInTenSeconds(15, 30, 3_000_000));
    }

    @Test
    void noCapDecodesEverythingAndLiftingItTakesEffectAtOnce() {
        assertEquals(600, decodedInTenSeconds(60, 0, 0));
        FrameRateCap cap = new FrameRateCap();
        cap.set(30);
        long period = SECOND / 60;
        int decoded = 0;
        for (int frame = 0; frame < 60; frame++) {
            decoded += cap.admits(frame * period) ? 1 : 0;
        }
        cap.set(0);
        for (int frame = 60; frame < 120; frame++) {
            decoded += cap.admits(frame * period) ? 1 : 0;
        }
        assertEquals(30 + 60, decoded);
    }

    /** Frames at {@code cameraFps}, each up to {@code jitterNanos} late, through a cap of {@code capFps}. */
    private static int decodedInTenSeconds(int cameraFps, double capFps, long jitterNanos) {
        FrameRateCap cap = new FrameRateCap();
        cap.set(capFps);
        Random random = new Random(7);
        int decoded = 0;
        for (int frame = 0; frame < cameraFps * 10; frame++) {
            long jitter = jitterNanos == 0 ? 0 : (long) (random.nextDouble() * jitterNanos);
            decoded += cap.admits(SECOND + frame * SECOND / cameraFps + jitter) ? 1 : 0;
        }
        return decoded;
    }
}
