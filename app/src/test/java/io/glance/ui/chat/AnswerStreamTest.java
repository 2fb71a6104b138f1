package io.glance.ui.chat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token text reaches the UI coalesced, about once a frame, and nothing is lost. */
class AnswerStreamTest {

    @Test
    void manyTokensInOneFrameBecomeOneUiUpdate() {
        List<Runnable> uiQueue = new ArrayList<>();
        StringBuilder shown = new StringBuilder();
        AnswerStream stream = new AnswerStream(uiQueue::add, shown::append);
        for (int i = 0; i < 1000; i++) {
            stream.append("t" + i + " ");
        }
        stream.finish(() -> { });
        assertTrue(uiQueue.size() <= 2, "UI tasks queued: " + uiQueue.size());
        uiQueue.forEach(Runnable::run);
        assertTrue(shown.toString().startsWith("t0 t1 t2 "));
        assertTrue(shown.toString().endsWith("t999 "));
    }

    @Test
    void slowTokensEachReachTheUi() throws InterruptedException {
        List<String> updates = new ArrayList<>();
        AnswerStream stream = new AnswerStream(Runnable::run, updates::add);
        for (int i = 0; i < 3; i++) {
            stream.append("word" + i);
            Thread.sleep(AnswerStream.MIN_INTERVAL_NANOS / 1_000_000 + 5);
        }
        stream.finish(() -> { });
        assertEquals(List.of("word0", "word1", "word2"), updates);
        assertEquals(3, stream.uiUpdates());
    }
}
