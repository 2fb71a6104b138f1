package io.glance.ui.settings;

/**
 * The desktop app's own choices, persisted as JSON. Immutable; {@code with…} methods return changed copies.
 *
 * @param darkTheme                 dark or light look
 * @param mirror                    show the camera mirrored
 * @param captionPrompt             the question asked about each dropped or opened image
 * @param continuousIntervalSeconds how often continuous mode describes the camera view
 * @param sceneChangeThreshold      mean absolute pixel change (0..255) a scene must exceed to be described again
 * @param speakAnswers              read finished answers aloud
 */
public record UiPreferences(boolean darkTheme, boolean mirror, String captionPrompt, int continuousIntervalSeconds,
                            double sceneChangeThreshold, boolean speakAnswers) {

    public static final String DEFAULT_CAPTION_PROMPT = "Describe this image.";

    public static UiPreferences defaults() {
        return new UiPreferences(false, false, DEFAULT_CAPTION_PROMPT, 5, 12.0, false);
    }

    /** Fills in what an older or hand-edited file left out. */
    public UiPreferences completed() {
        UiPreferences d = defaults();
        return new UiPreferences(darkTheme, mirror,
                captionPrompt == null || captionPrompt.isBlank() ? d.captionPrompt : captionPrompt,
                continuousIntervalSeconds > 0 ? continuousIntervalSeconds : d.continuousIntervalSeconds,
                sceneChangeThreshold > 0 ? sceneChangeThreshold : d.sceneChangeThreshold, speakAnswers);
    }

    public UiPreferences withDarkTheme(boolean value) {
        return new UiPreferences(value, mirror, captionPrompt, continuousIntervalSeconds, sceneChangeThreshold, speakAnswers);
    }

    public UiPreferences withMirror(boolean value) {
        return new UiPreferences(darkTheme, value, captionPrompt, continuousIntervalSeconds, sceneChangeThreshold, speakAnswers);
    }

    public UiPreferences withCaptionPrompt(String value) {
        return new UiPreferences(darkTheme, mirror, value, continuousIntervalSeconds, sceneChangeThreshold, speakAnswers);
    }

    public UiPreferences withSpeakAnswers(boolean value) {
        return new UiPreferences(darkTheme, mirror, captionPrompt, continuousIntervalSeconds, sceneChangeThreshold, value);
    }
}
