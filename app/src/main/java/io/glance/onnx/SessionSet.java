package io.glance.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.glance.model.GraphKind;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The three ONNX Runtime sessions of one model, created on the first execution provider of the
 * preference order that accepts all three, with every graph's inputs and outputs checked. Owns the
 * sessions: close it. Session runs may come from one thread at a time per session.
 */
final class SessionSet implements AutoCloseable {
    private final Map<GraphKind, OrtSession> sessions;
    private final Device device;
    private final String fallbackReason;

    private SessionSet(Map<GraphKind, OrtSession> sessions, Device device, String fallbackReason) {
        this.sessions = sessions;
        this.device = device;
        this.fallbackReason = fallbackReason;
    }

    /**
     * @param threads intra-op threads per session (0 = ONNX Runtime's default)
     * @throws InvalidModelException when a file is missing, unreadable or not the expected graph
     */
    static SessionSet open(OrtEnvironment env, ModelFolder folder, PrecisionSet precisions, Device preference,
                           int threads) throws InvalidModelException {
        Map<GraphKind, Path> files = folder.graphFiles(precisions);
        List<String> reasons = new ArrayList<>();
        for (Device device : preference.attemptOrder()) {
            Map<GraphKind, OrtSession> opened = new EnumMap<>(GraphKind.class);
            GraphKind current = GraphKind.VISION_ENCODER;
            try (OrtSession.SessionOptions options = options(device, threads)) {
                for (GraphKind graph : GraphKind.values()) {
                    current = graph;
                    OrtSession session = env.createSession(files.get(graph).toString(), options);
                    opened.put(graph, session);
                    GraphContract.check(graph, files.get(graph), session, folder.textShape());
                }
                String reason = reasons.isEmpty() ? null : String.join("; ", reasons);
                return new SessionSet(opened, device, reason);
            } catch (OrtException | RuntimeException e) {
                closeAll(opened);
                if (device == Device.CPU) {
                    throw new InvalidModelException("cannot load " + files.get(current) + ": " + firstLine(e), e);
                }
                reasons.add(device.cliName() + " unavailable (" + firstLine(e) + ")");
            } catch (InvalidModelException e) {
                closeAll(opened);
                throw e;
            }
        }
        throw new IllegalStateException("the CPU is always the last device tried");
    }

    private static OrtSession.SessionOptions options(Device device, int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            // Keep weight-only quantized MatMuls exact when ORT fuses DequantizeLinear+MatMul.
            options.addConfigEntry("session.qdq_matmulnbits_accuracy_level", "0");
            switch (device) {
                case CUDA -> options.addCUDA(0);
                case DIRECTML -> {
                    options.setMemoryPatternOptimization(false);
                    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                    options.addDirectML(0);
                }
                case COREML -> options.addCoreML();
                case CPU, AUTO -> { }
                default -> throw new IllegalStateException(device.toString());
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static void closeAll(Map<GraphKind, OrtSession> opened) {
        for (OrtSession session : opened.values()) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // closing a half-built set; the original error is the one that matters
            }
        }
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    OrtSession get(GraphKind graph) {
        return sessions.get(graph);
    }

    Device device() {
        return device;
    }

    String fallbackReason() {
        return fallbackReason;
    }

    @Override
    public void close() {
        closeAll(sessions);
    }
}
