package io.glance.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** When the in-place cache's buffers grow: what a prompt needs, and the answer's expected end when it is near. */
class SharedKvBuffersTest {
    private static final String[] PAST = {"past_key_values.0.key", "past_key_values.0.value"};
    private static final String[] PRESENT = {"present.0.key", "present.0.value"};

    @Test
    void anAnswerUpToHalfThePromptFitsInTheRoomTakenWithThePrompt() throws Exception {
        try (SharedKvBuffers buffers = new SharedKvBuffers(OrtEnvironment.getEnvironment(), PAST, PRESENT, 2, 8)) {
            buffers.ensureCapacity(1141, 1141 + 512, 0);
            OnnxTensor first = keyTensor(buffers);
            assertEquals(1664, first.getInfo().getShape()[2], "room for the prompt and the answer, in whole rounds");
            for (int length = 1141; length < 1141 + 512; length++) {
                buffers.ensureCapacity(length + 1, 1141 + 512, length);
            }
            assertSame(first, keyTensor(buffers), "the answer never grew the buffers");
        }
    }

    @Test
    void aFarExpectedEndIsNotTakenAtOnce() throws Exception {
        try (SharedKvBuffers buffers = new SharedKvBuffers(OrtEnvironment.getEnvironment(), PAST, PRESENT, 2, 8)) {
            buffers.ensureCapacity(100, 100 + 4096, 0);
            assertEquals(192, keyTensor(buffers).getInfo().getShape()[2], "half as much again as the prompt");
        }
    }

    @Test
    void withoutAnExpectedEndTheBuffersGrowByHalfWhenFull() throws Exception {
        try (SharedKvBuffers buffers = new SharedKvBuffers(OrtEnvironment.getEnvironment(), PAST, PRESENT, 2, 8)) {
            buffers.ensureCapacity(1141, 0, 0);
            OnnxTensor first = keyTensor(buffers);
            assertEquals(1152, first.getInfo().getShape()[2]);
            buffers.ensureCapacity(1153, 0, 1152);
            OnnxTensor grown = keyTensor(buffers);
            assertNotSame(first, grown);
            assertEquals(1728, grown.getInfo().getShape()[2]);
        }
    }

    private static OnnxTensor keyTensor(SharedKvBuffers buffers) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        buffers.addPast(inputs);
        return inputs.get(PAST[0]);
    }
}
