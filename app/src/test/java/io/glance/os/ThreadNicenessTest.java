package io.glance.os;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Linux only, as CI is: the preview's threads get a higher nice value, the others keep theirs. */
class ThreadNicenessTest {
    @Test
    void lowersTheCallingThreadOnly() throws Exception {
        int before = ThreadNiceness.currentThreadNice();
        AtomicBoolean lowered = new AtomicBoolean();
        AtomicInteger niceThere = new AtomicInteger(Integer.MIN_VALUE);
        Thread preview = new Thread(() -> {
            lowered.set(ThreadNiceness.lowerCurrentThread());
            niceThere.set(ThreadNiceness.currentThreadNice());
        });
        preview.start();
        preview.join();

        assertTrue(lowered.get());
        assertEquals(ThreadNiceness.previewNice(), niceThere.get());
        assertTrue(ThreadNiceness.previewNice() > before, "nicer than the test's thread at " + before);
        assertEquals(before, ThreadNiceness.currentThreadNice(), "the calling thread of the test is unchanged");
    }

    @Test
    void lowersThreadsFoundByName() throws Exception {
        CountDownLatch named = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        AtomicInteger niceThere = new AtomicInteger(Integer.MIN_VALUE);
        AtomicInteger niceOfOther = new AtomicInteger(Integer.MIN_VALUE);
        Thread target = new Thread(() -> {
            named.countDown();
            await(checked);
            niceThere.set(ThreadNiceness.currentThreadNice());
        }, "nice-probe-target");
        Thread other = new Thread(() -> {
            await(checked);
            niceOfOther.set(ThreadNiceness.currentThreadNice());
        }, "nice-probe-other");
        target.start();
        other.start();
        named.await();

        int lowered = ThreadNiceness.lowerThreadsNamed("nice-probe-tar");
        checked.countDown();
        target.join();
        other.join();

        assertEquals(1, lowered);
        assertEquals(ThreadNiceness.previewNice(), niceThere.get());
        assertEquals(ThreadNiceness.currentThreadNice(), niceOfOther.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
