package io.glance.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.glance.generation.FamilyModel;
import io.glance.model.GraphKind;
import io.glance.model.GraphSpec;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.onnx.fusion.DecoderChoice;
import io.glance.onnx.fusion.DecoderFusion;
import io.glance.onnx.fusion.DecoderGraph;
import io.glance.settings.UserFolders;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ONNX Runtime sessions of one model, created in parallel on the first execution provider of the
 * preference order that accepts all of them, with every graph's inputs and outputs checked; on the CPU the decoder
 * is the graph {@link CpuThreading#decoder()} asks for (see {@link DecoderFusion}). Owns the sessions: close it.
 * Session runs may come from one thread at a time per session.
 */
final class SessionSet implements AutoCloseable {
    private final OrtEnvironment env;
    private final FamilyModel family;
    private final Map<GraphKind, Path> files;
    private final CpuThreading threading;
    private final Map<GraphKind, OrtSession> sessions;
    /** Per graph: each input's spec name → the name the graph gives it. */
    private final Map<GraphKind, Map<String, String>> inputNames;
    private final Device device;
    private final String fallbackReason;
    private final DecoderGraph decoderGraph;
    private final Map<String, Double> loadMillis;

    private SessionSet(OrtEnvironment env, FamilyModel family, Map<GraphKind, Path> files, CpuThreading threading,
                       Map<GraphKind, OrtSession> sessions, Map<GraphKind, Map<String, String>> inputNames,
                       Device device, String fallbackReason, DecoderGraph decoderGraph, Map<String, Double> loadMillis) {
        this.env = env;
        this.family = family;
        this.files = files;
        this.threading = threading;
        this.sessions = sessions;
        this.inputNames = inputNames;
        this.device = device;
        this.fallbackReason = fallbackReason;
        this.decoderGraph = decoderGraph;
        this.loadMillis = loadMillis;
    }

    /**
     * Opens {@code graphs} (a subset of the model's three) two at a time: creating a session is mostly
     * single-threaded graph optimization and weight packing, so on two cores the set loads in about the
     * time of its largest graph.
     *
     * @param family       the model's family, whose graph contract every graph is checked against
     * @param alsoLoading  other parts of the model to load meanwhile (the tokenizer): queued on the loader thread
     *                     behind the sessions, and run on this thread after the decoder if it has not started them
     * @throws InvalidModelException when a file is missing, unreadable or not the expected graph
     */
    static SessionSet open(OrtEnvironment env, FamilyModel family, PrecisionSet precisions, Device preference,
                           CpuThreading threading, Set<GraphKind> graphs, List<LoaderThread.Claimable<?>> alsoLoading)
            throws InvalidModelException {
        Map<GraphKind, Path> files = family.folder().graphFiles(precisions);
        List<String> reasons = new ArrayList<>();
        for (Device device : preference.attemptOrder()) {
            Map<GraphKind, OrtSession> opened = new EnumMap<>(GraphKind.class);
            try (GraphOptions options = GraphOptions.create(device, threading, graphs)) {
                DecoderChoice decoderChoice = device == Device.CPU ? threading.decoder() : DecoderChoice.PUBLISHED;
                Map<String, Double> loadMillis = new ConcurrentHashMap<>();
                DecoderGraph decoderGraph = createInParallel(env, family.folder(), files, decoderChoice, options, opened,
                        loadMillis, alsoLoading); // (each runs once, however often it is queued)
                Map<GraphKind, Map<String, String>> names = new EnumMap<>(GraphKind.class);
                for (GraphSpec spec : family.graphs()) {
                    if (graphs.contains(spec.graph())) {
                        names.put(spec.graph(), GraphContract.check(spec, files.get(spec.graph()),
                                opened.get(spec.graph()), family.familyName()));
                    }
                }
                String reason = reasons.isEmpty() ? null : String.join("; ", reasons);
                return new SessionSet(env, family, files, threading, opened, names, device, reason, decoderGraph,
                        loadMillis);
            } catch (GraphFailure e) {
                closeAll(opened.values());
                if (device == Device.CPU) {
                    throw new InvalidModelException("cannot load " + files.get(e.graph) + ": " + firstLine(e.cause), e.cause);
                }
                reasons.add(device.cliName() + " unavailable (" + firstLine(e.cause) + ")");
            } catch (OrtException | RuntimeException e) {
                closeAll(opened.values());
                if (device == Device.CPU) {
                    throw new InvalidModelException("cannot set up ONNX Runtime: " + firstLine(e), e);
                }
                reasons.add(device.cliName() + " unavailable (" + firstLine(e) + ")");
            } catch (InvalidModelException e) {
                closeAll(opened.values());
                throw e;
            }
        }
        throw new IllegalStateException("the CPU is always the last device tried");
    }

    /**
     * Creates the decoder's session on this thread (building its fused graph first when asked and not cached) and
     * the others on the {@link LoaderThread} meanwhile, with {@code alsoLoading} queued behind them (on this thread,
     * after the decoder, whatever the loader thread has not started: on two cores the longest part of the model
     * after the decoder, usually the vision encoder, runs beside the decoder and the tokenizer), and puts every
     * session that opened into {@code opened}, so the caller can close them; throws the failure of the first graph
     * (in {@link GraphKind} order) that did not open.
     *
     * @param loadMillis receives how long each step took: {@code <graph>_session} and {@code decoder_graph}
     * @return the decoder graph that opened, or {@code null} when the decoder was not asked for
     */
    private static DecoderGraph createInParallel(OrtEnvironment env, ModelFolder folder, Map<GraphKind, Path> files,
                                                 DecoderChoice decoderChoice, GraphOptions options,
                                                 Map<GraphKind, OrtSession> opened, Map<String, Double> loadMillis,
                                                 List<LoaderThread.Claimable<?>> alsoLoading)
            throws GraphFailure {
        Map<GraphKind, CompletableFuture<OrtSession>> pending = new EnumMap<>(GraphKind.class);
        List<LoaderThread.Claimable<OrtSession>> others = new ArrayList<>();
        for (GraphKind graph : options.graphs()) {
            if (graph != GraphKind.DECODER) {
                LoaderThread.Claimable<OrtSession> other = LoaderThread.submitClaimable(() -> timed(loadMillis,
                        graph.fileStem() + "_session", () -> create(env, files.get(graph), options.of(graph))));
                others.add(other);
                pending.put(graph, other.result());
            }
        }
        alsoLoading.forEach(LoaderThread.Claimable::queue);
        DecoderGraph decoderGraph = null;
        if (options.graphs().contains(GraphKind.DECODER)) {
            CompletableFuture<OrtSession> decoder = new CompletableFuture<>();
            decoderGraph = openDecoder(env, folder, files.get(GraphKind.DECODER), decoderChoice,
                    options.of(GraphKind.DECODER), loadMillis, decoder);
            pending.put(GraphKind.DECODER, decoder);
        }
        // what the loader thread has not started, this thread does
        others.forEach(LoaderThread.Claimable::runHereIfNotStarted);
        alsoLoading.forEach(LoaderThread.Claimable::runHereIfNotStarted);
        GraphFailure failure = null;
        for (Map.Entry<GraphKind, CompletableFuture<OrtSession>> entry : pending.entrySet()) {
            try {
                opened.put(entry.getKey(), entry.getValue().join());
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = new GraphFailure(entry.getKey(), e.getCause() instanceof Exception cause ? cause : e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return decoderGraph;
    }

    /**
     * Finds or builds the decoder graph {@code choice} asks for and completes {@code session} with its session; a
     * cached fused graph that does not open is discarded (the next load builds it again) and the published graph
     * opens instead.
     *
     * @return the decoder graph that opened (or was tried last, when none did)
     */
    private static DecoderGraph openDecoder(OrtEnvironment env, ModelFolder folder, Path published, DecoderChoice choice,
                                            OrtSession.SessionOptions options, Map<String, Double> loadMillis,
                                            CompletableFuture<OrtSession> session) {
        String name = GraphKind.DECODER.fileStem() + "_session";
        FusedDecoderProbe probe = new FusedDecoderProbe(env, folder.textShape());
        long start = System.nanoTime();
        DecoderGraph graph = DecoderFusion.prepare(folder, published, choice,
                UserFolders.fromSystem().cacheDir().resolve("decoders"), probe, probe, probe.runtimeIdentity(),
                NativeKernels.usable().isPresent());
        loadMillis.put("decoder_graph", (System.nanoTime() - start) / 1e6);
        try {
            session.complete(timed(loadMillis, name, () -> create(env, graph.file(), options)));
            return graph;
        } catch (OrtException | RuntimeException e) {
            if (!graph.fused()) {
                session.completeExceptionally(e);
                return graph;
            }
            DecoderFusion.discard(graph);
            try {
                session.complete(timed(loadMillis, name, () -> create(env, published, options)));
            } catch (OrtException | RuntimeException second) {
                session.completeExceptionally(second);
            }
            return new DecoderGraph(published, DecoderChoice.PUBLISHED.cliName(),
                    "the fused graph " + graph.file() + " did not open (" + firstLine(e) + "); discarded, to be built again");
        }
    }

    /** Runs {@code work}, putting its wall time in milliseconds under {@code name}. */
    private static <T> T timed(Map<String, Double> loadMillis, String name, OrtShutdownGuard.OrtCall<T> work)
            throws OrtException {
        long start = System.nanoTime();
        try {
            return work.call();
        } finally {
            loadMillis.put(name, (System.nanoTime() - start) / 1e6);
        }
    }

    /** Creates one session; the process's exit waits for it (see {@link OrtShutdownGuard}). */
    static OrtSession create(OrtEnvironment env, Path file, OrtSession.SessionOptions options)
            throws OrtException {
        return OrtShutdownGuard.call(() -> env.createSession(file.toString(), options));
    }

    /** A graph whose session could not be created, and why. */
    private static final class GraphFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient GraphKind graph;
        private final Exception cause;

        GraphFailure(GraphKind graph, Exception cause) {
            super(cause);
            this.graph = graph;
            this.cause = cause;
        }
    }

    /** The session options of each graph to open; only the decoder's may spin. Closes them all. */
    private record GraphOptions(Map<GraphKind, OrtSession.SessionOptions> byGraph) implements AutoCloseable {
        static GraphOptions create(Device device, CpuThreading threading, Set<GraphKind> graphs) throws OrtException {
            GraphOptions created = new GraphOptions(new EnumMap<>(GraphKind.class));
            try {
                for (GraphKind graph : graphs) {
                    created.byGraph.put(graph, options(device, threading.intraOpThreads(), spins(graph, threading)));
                }
                return created;
            } catch (OrtException | RuntimeException e) {
                created.close();
                throw e;
            }
        }

        Set<GraphKind> graphs() {
            return byGraph.keySet();
        }

        OrtSession.SessionOptions of(GraphKind graph) {
            return byGraph.get(graph);
        }

        @Override
        public void close() {
            byGraph.values().forEach(OrtSession.SessionOptions::close);
        }
    }

    /** Whether {@code graph}'s idle pool threads busy-wait: only the decoder's, and only when asked. */
    private static boolean spins(GraphKind graph, CpuThreading threading) {
        return graph == GraphKind.DECODER && threading.decoderSpinning();
    }

    /** Options of one session: full graph optimization, quiet logs, the device's execution provider. */
    static OrtSession.SessionOptions options(Device device, int intraOpThreads, boolean spinning)
            throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
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
                // On the CPU the memory pattern is a second block as large as a run's activations, taken from
                // the arena that the first run already grew: 115 MB more for the vision encoder, no faster.
                case CPU, AUTO -> {
                    options.setMemoryPatternOptimization(false);
                    NativeKernels.registerInto(options);
                }
                default -> throw new IllegalStateException(device.toString());
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** Closes sessions, ignoring failures (a half-built set's original error is the one that matters). */
    static void closeAll(Collection<OrtSession> opened) {
        for (OrtSession session : opened) {
            try {
                OrtShutdownGuard.close(session::close);
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

    /** The session of {@code graph}, or {@code null} when it was not opened. */
    synchronized OrtSession get(GraphKind graph) {
        return sessions.get(graph);
    }

    /**
     * The session of {@code graph}, opened now (on this thread, on the device the others run on, checked like
     * them) if it was left out of {@link #open}.
     *
     * @throws InvalidModelException when its file is missing, unreadable or not the expected graph
     */
    synchronized OrtSession getOrOpen(GraphKind graph) throws InvalidModelException {
        OrtSession session = sessions.get(graph);
        if (session != null) {
            return session;
        }
        GraphSpec spec = family.graphs().stream().filter(s -> s.graph() == graph).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(family.familyName() + " has no " + graph));
        Path file = files.get(graph);
        try (OrtSession.SessionOptions options = options(device, threading.intraOpThreads(), spins(graph, threading))) {
            session = timed(loadMillis, graph.fileStem() + "_session", () -> create(env, file, options));
        } catch (OrtException | RuntimeException e) {
            throw new InvalidModelException("cannot load " + file + ": " + firstLine(e), e);
        }
        try {
            inputNames.put(graph, GraphContract.check(spec, file, session, family.familyName()));
        } catch (InvalidModelException | RuntimeException e) {
            closeAll(List.of(session));
            throw e;
        }
        sessions.put(graph, session);
        return session;
    }

    /** The name {@code graph} gives the input its family calls {@code specName}. */
    synchronized String inputName(GraphKind graph, String specName) {
        return inputNames.getOrDefault(graph, Map.of()).getOrDefault(specName, specName);
    }

    Device device() {
        return device;
    }

    String fallbackReason() {
        return fallbackReason;
    }

    /**
     * How long the steps of opening took, in milliseconds: {@code <graph file stem>_session} for each session
     * (created two at a time, so they overlap) and {@code decoder_graph} for finding or building the decoder graph.
     */
    Map<String, Double> loadMillis() {
        return Map.copyOf(loadMillis);
    }

    /** The decoder graph that runs, or {@code null} when the decoder was not opened. */
    DecoderGraph decoderGraph() {
        return decoderGraph;
    }

    @Override
    public synchronized void close() {
        closeAll(sessions.values());
    }
}
