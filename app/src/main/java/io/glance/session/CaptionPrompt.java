package io.glance.session;

/** The question a picture is captioned with when the person gave none. Stateless; safe on any thread. */
public final class CaptionPrompt {
    /** The wording the bundled demo model was trained to caption with. */
    public static final String DEMO = "Describe the image.";

    private CaptionPrompt() {
    }

    /**
     * {@link #DEMO} for the bundled demo model (it knows no other wording), else the settings' caption prompt,
     * else {@link #DEMO}.
     *
     * @param modelId    the model's id (its folder name), or null when none is loaded
     * @param configured the settings' caption prompt, or null
     */
    public static String forModel(String modelId, String configured) {
        if (ModelLocator.BUNDLED_MODEL.equals(modelId) || configured == null || configured.isBlank()) {
            return DEMO;
        }
        return configured;
    }
}
