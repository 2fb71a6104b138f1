package io.glance;

import io.glance.generation.ChatSession;
import io.glance.generation.ImageDetail;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.onnx.CpuThreading;
import io.glance.onnx.Device;
import io.glance.onnx.LoadedModel;
import io.glance.session.ImageOrigin;
import io.glance.session.ModelInfo;
import io.glance.session.ModelRuntime;
import io.glance.settings.Settings;


/**
 * The desktop app's model over ONNX Runtime: a {@link LoadedModel} in the chosen precision on the preferred
 * device (falling back to the CPU). Confined to the inference thread.
 */
final class OnnxModelRuntime implements ModelRuntime {
    private final LoadedModel loaded;

    private OnnxModelRuntime(LoadedModel loaded) {
        this.loaded = loaded;
    }

    /**
     * Loads {@code folder}, whose config files were read. Inference gets all cores but one, so the camera preview and the window keep a core of
     * their own while an answer generates.
     *
     * @param device a device preference as {@link Settings#device()} stores it; unknown values mean auto
     */
    static OnnxModelRuntime load(ModelFolder folder, PrecisionSet precisions, String device) throws InvalidModelException {
        Device preferred;
        try {
            preferred = Device.parse(device == null ? "auto" : device);
        } catch (IllegalArgumentException unknown) {
            preferred = Device.AUTO;
        }
        return new OnnxModelRuntime(LoadedModel.load(folder, precisions, preferred,
                CpuThreading.interactive(inferenceThreads())));
    }

    /**
     * Image tokens of a camera frame on the CPU when the person did not choose (Qwen-VL): at most 48 (about 190×190
     * pixels), so that with the frame read ahead while the question is typed the first words of a 2B model in q4
     * come about 1.8 s after Enter on two cores (docs/performance.md), where the model's own limit would take
     * minutes.
     */
    static final int CAMERA_IMAGE_TOKENS_ON_CPU = 48;

    /** Intra-op threads for inference while the window runs: every core but one. */
    static int inferenceThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    @Override
    public ChatSession newChat(Settings settings, ImageOrigin origin) {
        String system = settings.systemPrompt() == null || settings.systemPrompt().isBlank()
                ? null : settings.systemPrompt();
        boolean onCpu = Device.CPU.cliName().equals(loaded.model().provider());
        return loaded.newChat(new ImageDetail(splitting(settings.splitImages(), origin, onCpu), settings.longestEdge(),
                imageTokens(settings.maxImageTokens(), origin, onCpu)), system);
    }

    /**
     * Qwen-VL's image tokens per picture: {@code setting} when the person chose; otherwise {@link
     * #CAMERA_IMAGE_TOKENS_ON_CPU} for camera frames on the CPU, and {@code null} (the model's own limit) for the rest.
     */
    static Integer imageTokens(Integer setting, ImageOrigin origin, boolean onCpu) {
        if (setting != null) {
            return setting;
        }
        return origin == ImageOrigin.CAMERA && onCpu ? CAMERA_IMAGE_TOKENS_ON_CPU : null;
    }

    /**
     * Whether to split images into tiles: {@code setting} when the person chose; otherwise whole camera frames on
     * the CPU, and {@code null} (as the model says) for the rest.
     */
    static Boolean splitting(Boolean setting, ImageOrigin origin, boolean onCpu) {
        if (setting != null) {
            return setting;
        }
        return origin == ImageOrigin.CAMERA && onCpu ? Boolean.FALSE : null;
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
