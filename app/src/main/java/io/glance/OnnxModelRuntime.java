package io.glance;

import io.glance.generation.ChatSession;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.onnx.Device;
import io.glance.onnx.LoadedModel;
import io.glance.ui.inference.ModelInfo;
import io.glance.ui.inference.ModelRuntime;

import java.nio.file.Path;

/**
 * The desktop app's model over ONNX Runtime: a {@link LoadedModel} on the best device available, at full
 * precision when the folder has it. Confined to the inference thread.
 */
final class OnnxModelRuntime implements ModelRuntime {
    private final LoadedModel loaded;

    private OnnxModelRuntime(LoadedModel loaded) {
        this.loaded = loaded;
    }

    /**
     * Loads {@code dir}, preferring fp32, else the first precision the folder offers. Inference gets all cores
     * but one, so the camera preview and the window keep a core of their own while an answer generates.
     */
    static OnnxModelRuntime load(Path dir) throws InvalidModelException {
        ModelFolder folder = ModelFolder.open(dir);
        Precision precision = folder.availablePrecisions().contains(Precision.FP32) || folder.availablePrecisions().isEmpty()
                ? Precision.FP32 : folder.availablePrecisions().get(0);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        return new OnnxModelRuntime(LoadedModel.load(dir, PrecisionSet.uniform(precision), Device.AUTO, threads));
    }

    @Override
    public ChatSession newChat() {
        return loaded.newChat(null, null, null);
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(loaded.folder().root().getFileName().toString(), loaded.model().precisions().toString(),
                loaded.model().provider(), loaded.model().fallbackReason());
    }

    @Override
    public void close() {
        loaded.close();
    }
}
