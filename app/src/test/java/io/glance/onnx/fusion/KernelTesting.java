package io.glance.onnx.fusion;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import io.glance.onnx.NativeKernels;
import io.glance.onnx.proto.Onnx.AttributeProto;
import io.glance.onnx.proto.Onnx.TensorProto;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the tests of Glance's operators share: the library, sessions on it, graph pieces, comparisons. */
final class KernelTesting {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private KernelTesting() {
    }

    /** The library; a test that needs it is skipped (reported so) where this CPU cannot run it. */
    static Path usableLibrary() {
        assumeTrue(NativeKernels.usable().isPresent(), NativeKernels.unusedReason());
        return NativeKernels.usable().get();
    }

    /** A session on two threads of {@code model}, with the library's operators where {@code library} is not null. */
    static OrtSession session(byte[] model, Path library) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            if (library != null) {
                options.registerCustomOpLibrary(library.toString());
            }
            return ENV.createSession(model, options);
        }
    }

    /** Every value of {@code actual} within {@code tolerance} of {@code expected}'s, relative to its largest. */
    static void assertSameWithin(float[] expected, float[] actual, float tolerance, String what) {
        float largest = 0;
        for (float value : expected) {
            largest = Math.max(largest, Math.abs(value));
        }
        float[] scaledExpected = new float[expected.length];
        float[] scaledActual = new float[actual.length];
        for (int i = 0; i < expected.length && i < actual.length; i++) {
            scaledExpected[i] = expected[i] / largest;
            scaledActual[i] = actual[i] / largest;
        }
        assertArrayEquals(scaledExpected, scaledActual, tolerance, what);
    }

    static TensorProto tensor(String name, int type, ByteString data, long... dims) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(type).setRawData(data);
        for (long dim : dims) {
            tensor.addDims(dim);
        }
        return tensor.build();
    }

    static AttributeProto attribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }
}
