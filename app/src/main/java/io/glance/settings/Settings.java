package io.glance.settings;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The user's choices, as stored in {@code settings.json}. Immutable; change fields with a {@code with…}
 * method or {@link #edit}. Safe on any thread.
 *
 * @param version                   format version of the file ({@link #CURRENT_VERSION})
 * @param modelId                   active model id (a catalog id, an imported folder name, or the bundled demo)
 * @param precision                 active precision set, as {@code PrecisionSet.parse} reads it
 * @param device                    device preference: auto, cpu, cuda, directml, coreml
 * @param cameraId                  last used camera, or {@code null} for the first one found
 * @param splitImages               cut images into tiles, or {@code null} for automatic (see
 *                                  {@code ModelRuntime.newChat}: camera frames whole on the CPU, the rest as
 *                                  the model says)
 * @param longestEdge               first-resize edge in pixels, or {@code null} for what the model says
 * @param maxImageTokens            Qwen-VL: the most image tokens a picture takes (its detail), or {@code null} for
 *                                  automatic (see {@code ModelRuntime.newChat}: fewer for camera frames on the CPU,
 *                                  the model's own limit for the rest)
 * @param maxNewTokens              answer length limit in tokens
 * @param systemPrompt              system turn, or empty for none
 * @param captionPrompt             question asked about opened images and in continuous captioning
 * @param continuousIntervalSeconds seconds between continuous captions
 * @param theme                     {@link #LIGHT}, {@link #DARK} or {@link #SYSTEM}
 * @param speech                    read answers aloud
 * @param mirror                    show the live camera mirrored (the model always sees it unmirrored)
 * @param windowWidth               main window width in pixels, or {@code null} to fit the screen
 * @param windowHeight              main window height in pixels, or {@code null} to fit the screen
 * @param embeddingModelId          installed CLIP-family model for labels and search by meaning, or {@code null} for
 *                                  the bundled demo CLIP
 * @param downloadReadTimeoutSeconds seconds a model download waits for the next bytes before the attempt counts as
 *                                  stalled, or {@code null} for the downloader's default
 */
public record Settings(int version, String modelId, String precision, String device, String cameraId,
                       Boolean splitImages, Integer longestEdge, Integer maxImageTokens, int maxNewTokens, String systemPrompt,
                       String captionPrompt, double continuousIntervalSeconds, String theme, boolean speech,
                       boolean mirror, Integer windowWidth, Integer windowHeight, String embeddingModelId,
                       Integer downloadReadTimeoutSeconds) {
    /** The format version this code writes and reads. */
    public static final int CURRENT_VERSION = 1;
    public static final String LIGHT = "light";
    public static final String DARK = "dark";
    /** Follow the operating system where it can be read, else light. */
    public static final String SYSTEM = "system";

    /** First-run settings: the bundled demo model on an automatically chosen device. */
    public static Settings defaults() {
        return new Settings(CURRENT_VERSION, "glance-demo-shapes", "fp32", "auto", null, null, null, null, 256, "",
                "Describe the image.", 5.0, SYSTEM, false, false, null, null, null, null);
    }

    /** Whether the dark theme is chosen. */
    public boolean darkTheme() {
        return DARK.equals(theme);
    }

    /** The same settings with another active model and precision. */
    public Settings withModel(String newModelId, String newPrecision) {
        return edit(e -> {
            e.modelId = newModelId;
            e.precision = newPrecision;
        });
    }

    /** The same settings with another theme ({@link #LIGHT}, {@link #DARK} or {@link #SYSTEM}). */
    public Settings withTheme(String newTheme) {
        return edit(e -> e.theme = newTheme);
    }

    /** The same settings with reading aloud switched on or off. */
    public Settings withSpeech(boolean on) {
        return edit(e -> e.speech = on);
    }

    /** The same settings with the camera view mirrored or not. */
    public Settings withMirror(boolean on) {
        return edit(e -> e.mirror = on);
    }

    /** The same settings with another caption question. */
    public Settings withCaptionPrompt(String prompt) {
        return edit(e -> e.captionPrompt = prompt);
    }

    /** The same settings with another last-used camera. */
    public Settings withCameraId(String camera) {
        return edit(e -> e.cameraId = camera);
    }

    /** The same settings with the window size the user left. */
    public Settings withWindowSize(int width, int height) {
        return edit(e -> {
            e.windowWidth = width;
            e.windowHeight = height;
        });
    }

    /** A copy of these settings with the fields {@code change} sets on an {@link Editor} changed. */
    public Settings edit(Consumer<Editor> change) {
        Editor editor = new Editor(this);
        change.accept(editor);
        return editor.build();
    }

    /**
     * The fields of a {@link Settings}, to change in {@link #edit}: the one place besides the record that lists
     * them all. Not thread-safe; lives for one {@code edit} call.
     */
    public static final class Editor {
        private final int version;
        public String modelId;
        public String precision;
        public String device;
        public String cameraId;
        public Boolean splitImages;
        public Integer longestEdge;
        public Integer maxImageTokens;
        public int maxNewTokens;
        public String systemPrompt;
        public String captionPrompt;
        public double continuousIntervalSeconds;
        public String theme;
        public boolean speech;
        public boolean mirror;
        public Integer windowWidth;
        public Integer windowHeight;
        public String embeddingModelId;
        public Integer downloadReadTimeoutSeconds;

        private Editor(Settings from) {
            version = from.version;
            modelId = from.modelId;
            precision = from.precision;
            device = from.device;
            cameraId = from.cameraId;
            splitImages = from.splitImages;
            longestEdge = from.longestEdge;
            maxImageTokens = from.maxImageTokens;
            maxNewTokens = from.maxNewTokens;
            systemPrompt = from.systemPrompt;
            captionPrompt = from.captionPrompt;
            continuousIntervalSeconds = from.continuousIntervalSeconds;
            theme = from.theme;
            speech = from.speech;
            mirror = from.mirror;
            windowWidth = from.windowWidth;
            windowHeight = from.windowHeight;
            embeddingModelId = from.embeddingModelId;
            downloadReadTimeoutSeconds = from.downloadReadTimeoutSeconds;
        }

        private Settings build() {
            return new Settings(version, modelId, precision, device, cameraId, splitImages, longestEdge, maxImageTokens, maxNewTokens,
                    systemPrompt, captionPrompt, continuousIntervalSeconds, theme, speech, mirror, windowWidth,
                    windowHeight, embeddingModelId, downloadReadTimeoutSeconds);
        }
    }

    /** Whether loading the model again is needed to go from {@code other} to these settings. */
    public boolean needsModelReload(Settings other) {
        return !Objects.equals(modelId, other.modelId) || !Objects.equals(precision, other.precision)
                || !Objects.equals(device, other.device);
    }

    /** Whether a conversation must start over to go from {@code other} to these settings (image or system setup). */
    public boolean needsNewConversation(Settings other) {
        return needsModelReload(other) || !Objects.equals(splitImages, other.splitImages)
                || !Objects.equals(longestEdge, other.longestEdge)
                || !Objects.equals(maxImageTokens, other.maxImageTokens)
                || !Objects.equals(systemPrompt, other.systemPrompt);
    }
}
