package io.glance.generation;

import java.util.List;

/**
 * Pictures read ahead of a question by {@link ChatSession#prepareImages}: their layouts and the vision
 * encoder's features, ready for {@link ChatSession#ask(String, PreparedImages, GenerationOptions,
 * java.util.function.Consumer, Cancellation)} on the session that made them (another session may lay pictures out
 * differently). Immutable.
 */
public final class PreparedImages {
    private final ChatSession madeBy;
    private final List<ImageLayout> layouts;
    private final ImageFeatures features;

    PreparedImages(ChatSession madeBy, List<ImageLayout> layouts, ImageFeatures features) {
        this.madeBy = madeBy;
        this.layouts = List.copyOf(layouts);
        this.features = features;
    }

    /** True when {@code session} made these and can ask with them. */
    public boolean fitFor(ChatSession session) {
        return madeBy == session;
    }

    List<ImageLayout> layouts() {
        return layouts;
    }

    ImageFeatures features() {
        return features;
    }
}
