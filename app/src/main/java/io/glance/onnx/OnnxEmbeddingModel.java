package io.glance.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.glance.embedding.ContrastiveFolder;
import io.glance.model.ContrastiveGraph;
import io.glance.embedding.ContrastiveImageProcessor;
import io.glance.embedding.ContrastiveKind;
import io.glance.embedding.ContrastiveTokenizer;
import io.glance.embedding.EmbeddingModel;
import io.glance.embedding.LabelScore;
import io.glance.embedding.TextBatch;
import io.glance.model.InvalidModelException;
import io.glance.model.Precision;
import io.glance.vision.DecodedImage;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CLIP-family model on ONNX Runtime: the graphs asked for at load (text tower, vision tower, combined), each fed
 * the inputs it declares among {@code input_ids}, {@code attention_mask} and {@code pixel_values}, as the
 * reference feeds them. Embeddings are L2-normalized here. Owns native memory: close it. One call at a time.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel {
    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String PIXEL_VALUES = "pixel_values";

    private final ContrastiveFolder folder;
    private final Precision precision;
    private final OrtEnvironment env;
    private final Map<ContrastiveGraph, OrtSession> sessions;
    private final ContrastiveTokenizer tokenizer;
    private final double loadMs;

    private OnnxEmbeddingModel(ContrastiveFolder folder, Precision precision, OrtEnvironment env,
                               Map<ContrastiveGraph, OrtSession> sessions, ContrastiveTokenizer tokenizer, double loadMs) {
        this.folder = folder;
        this.precision = precision;
        this.env = env;
        this.sessions = sessions;
        this.tokenizer = tokenizer;
        this.loadMs = loadMs;
    }

    /**
     * Opens {@code graphs} of a folder in one precision on the CPU.
     *
     * @param precision the precision, or {@code null} for the folder's default for the first graph asked for
     * @throws InvalidModelException naming the missing or wrong file
     */
    public static OnnxEmbeddingModel load(ContrastiveFolder folder, Precision precision, Set<ContrastiveGraph> graphs,
                                          CpuThreading threading) throws InvalidModelException {
        long start = System.nanoTime();
        Precision chosen = precision != null ? precision : folder.defaultPrecision(graphs.iterator().next());
        Map<ContrastiveGraph, Path> files = new EnumMap<>(ContrastiveGraph.class);
        for (ContrastiveGraph graph : graphs) {
            files.put(graph, folder.requireGraph(graph, chosen));
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "glance");
        ContrastiveTokenizer tokenizer = graphs.equals(Set.of(ContrastiveGraph.VISION)) ? null
                : ContrastiveTokenizer.load(folder.root(), folder.kind());
        Map<ContrastiveGraph, OrtSession> sessions = new EnumMap<>(ContrastiveGraph.class);
        try (OrtSession.SessionOptions options = SessionSet.options(Device.CPU, threading.intraOpThreads(), false)) {
            for (Map.Entry<ContrastiveGraph, Path> file : files.entrySet()) {
                OrtSession session = SessionSet.create(env, file.getValue(), options);
                sessions.put(file.getKey(), session);
                checkInputs(file.getValue(), session, folder.kind(), file.getKey());
            }
        } catch (OrtException | InvalidModelException e) {
            SessionSet.closeAll(sessions.values());
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw e instanceof InvalidModelException invalid ? invalid
                    : new InvalidModelException("cannot load " + folder.root() + ": " + e.getMessage(), e);
        }
        return new OnnxEmbeddingModel(folder, chosen, env, sessions, tokenizer, (System.nanoTime() - start) / 1e6);
    }

    /** Every input is one this class feeds, and the graph has the output its kind names. */
    private static void checkInputs(Path file, OrtSession session, ContrastiveKind kind, ContrastiveGraph graph)
            throws InvalidModelException {
        for (String input : session.getInputNames()) {
            if (!Set.of(INPUT_IDS, ATTENTION_MASK, PIXEL_VALUES).contains(input)) {
                throw new InvalidModelException(file + " wants input '" + input + "'; a " + kind
                        + " graph takes input_ids, attention_mask and pixel_values");
            }
        }
        String output = switch (graph) {
            case TEXT -> kind.textOutput();
            case VISION -> kind.imageOutput();
            case COMBINED -> "logits_per_image";
        };
        if (!session.getOutputNames().contains(output)) {
            throw new InvalidModelException(file + " has no output '" + output + "' (outputs: "
                    + session.getOutputNames() + ")");
        }
    }

    @Override
    public ContrastiveKind kind() {
        return folder.kind();
    }

    @Override
    public String id() {
        return folder.root().toAbsolutePath().normalize().getFileName() + " " + precision;
    }

    /** The precision the graphs were loaded in. */
    public Precision precision() {
        return precision;
    }

    /** Wall time of {@link #load}. */
    public double loadMs() {
        return loadMs;
    }

    @Override
    public float[][] embedImages(List<DecodedImage> images) {
        OrtSession session = session(ContrastiveGraph.VISION);
        try (OnnxTensor pixels = pixelValues(images, session)) {
            return normalizedRows(run(session, Map.of(PIXEL_VALUES, pixels), kind().imageOutput()), images.size());
        } catch (OrtException e) {
            throw new IllegalStateException("the vision graph failed: " + e.getMessage(), e);
        }
    }

    @Override
    public float[][] embedTexts(List<String> texts) {
        OrtSession session = session(ContrastiveGraph.TEXT);
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            putText(feed, session, tokenizer.batch(texts));
            return normalizedRows(run(session, feed, kind().textOutput()), texts.size());
        } catch (OrtException e) {
            throw new IllegalStateException("the text graph failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public List<LabelScore> classify(DecodedImage image, List<String> labels, String template) {
        OrtSession session = session(ContrastiveGraph.COMBINED);
        List<String> texts = labels.stream().map(label -> EmbeddingModel.hypothesis(template, label)).toList();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            putText(feed, session, tokenizer.batch(texts));
            feed.put(PIXEL_VALUES, pixelValues(List.of(image), session));
            float[] probabilities = kind().probabilities(run(session, feed, "logits_per_image"));
            List<LabelScore> scores = new ArrayList<>();
            for (int i = 0; i < labels.size(); i++) {
                scores.add(new LabelScore(labels.get(i), probabilities[i]));
            }
            scores.sort(Comparator.comparingDouble(LabelScore::probability).reversed());
            return scores;
        } catch (OrtException e) {
            throw new IllegalStateException("the combined graph failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private OrtSession session(ContrastiveGraph graph) {
        OrtSession session = sessions.get(graph);
        if (session == null) {
            throw new IllegalStateException("the " + graph.fileName(precision) + " graph was not loaded");
        }
        return session;
    }

    private void putText(Map<String, OnnxTensor> feed, OrtSession session, TextBatch batch) throws OrtException {
        long[] shape = {batch.rows(), batch.length()};
        feed.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), shape));
        if (session.getInputNames().contains(ATTENTION_MASK)) {
            feed.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.mask()), shape));
        }
    }

    /** {@code [n, 3, height, width]}, in float16 where the graph wants it. */
    private OnnxTensor pixelValues(List<DecodedImage> images, OrtSession session) throws OrtException {
        ContrastiveImageProcessor processor = folder.imageProcessor();
        float[] values = new float[images.size() * processor.valuesPerImage()];
        for (int i = 0; i < images.size(); i++) {
            processor.write(images.get(i), values, i * processor.valuesPerImage());
        }
        long[] shape = {images.size(), 3, processor.height(), processor.width()};
        NodeInfo input = session.getInputInfo().get(PIXEL_VALUES);
        if (input != null && ((TensorInfo) input.getInfo()).type == OnnxJavaType.FLOAT16) {
            return OnnxTensor.createTensor(env, Float16.encode(FloatBuffer.wrap(values)), shape, OnnxJavaType.FLOAT16);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
    }

    private static float[] run(OrtSession session, Map<String, OnnxTensor> feed, String output) throws OrtException {
        try (OrtSession.Result result = OrtShutdownGuard.call(() -> session.run(feed, Set.of(output)))) {
            OnnxValue value = result.get(output).orElseThrow(() -> new OrtException("no output " + output));
            return OnnxVisionLanguageModel.readFloats((OnnxTensor) value);
        }
    }

    private static float[][] normalizedRows(float[] values, int rows) {
        int width = values.length / rows;
        float[][] out = new float[rows][width];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int i = 0; i < width; i++) {
                norm += (double) values[r * width + i] * values[r * width + i];
            }
            double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            for (int i = 0; i < width; i++) {
                out[r][i] = (float) (values[r * width + i] * scale);
            }
        }
        return out;
    }

    @Override
    public void close() {
        SessionSet.closeAll(sessions.values());
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
