package io.glance.settings;

/**
 * The user's choices, as stored in {@code settings.json}. Immutable; change one field with the {@code with…}
 * methods the UI needs, or build a new record. Safe on any thread.
 *
 * @param version                   format version of the file ({@link #CURRENT_VERSION})
 * @param modelId                   active model id (a catalog id, an imported folder name, or the bundled demo)
 * @param precision                 active precision set, as {@code PrecisionSet.parse} reads it
 * @param device                    device preference: auto, cpu, cuda, directml, coreml
 * @param cameraId                  last used camera, or {@code null} for the first one found
 * @param splitImages               cut images into tiles, or {@code null} for what the model says
 * @param longestEdge               first-resize edge in pixels, or {@code null} for what the model says
 * @param maxNewTokens              answer length limit in tokens
 * @param systemPrompt              system turn, or empty for none
 * @param captionPrompt             question asked in continuous captioning
 * @param continuousIntervalSeconds seconds between continuous captions
 * @param theme                     light, dark or system
 * @param speech                    read answers aloud
 */
public record Settings(int version, String modelId, String precision, String device, String cameraId,
                       Boolean splitImages, Integer longestEdge, int maxNewTokens, String systemPrompt,
                       String captionPrompt, double continuousIntervalSeconds, String theme, boolean speech) {
    /** The format version this code writes and reads. */
    public static final int CURRENT_VERSION = 1;

    /** First-run settings: the bundled demo model on an automatically chosen device. */
    public static Settings defaults() {
        return new Settings(CURRENT_VERSION, "glance-demo-shapes", "fp32", "auto", null, null, null, 256, "",
                "Describe what you see in one sentence.", 5.0, "system", false);
    }

    /** The same settings with another active model and precision. */
    public Settings withModel(String newModelId, String newPrecision) {
        return new Settings(version, newModelId, newPrecision, device, cameraId, splitImages, longestEdge,
                maxNewTokens, systemPrompt, captionPrompt, continuousIntervalSeconds, theme, speech);
    }
}
