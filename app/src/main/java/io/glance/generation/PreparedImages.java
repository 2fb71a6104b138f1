package io.glance.generation;

import io.glance.vision.TileLayout;

import java.util.List;

/**
 * Pictures read ahead of a question by {@link ChatSession#prepareImages}: their tile layouts and the vision
 * encoder's features, ready for {@link ChatSession#ask(String, PreparedImages, GenerationOptions,
 * java.util.function.Consumer, Cancellation)} on the session that made them (another session may cut pictures
 * into tiles differently). Immutable.
 */
public final class PreparedImages {
    private final ChatSession madeBy;
    private final List<TileLayout> layouts;
    private final ImageFeatures features;

    PreparedImages(ChatSession madeBy, List<TileLayout> layouts, ImageFeatures features) {
        this.madeBy = madeBy;
        this.layouts = List.copyOf(layouts);
        this.features = features;
    }

    /** True when {@code session} made these and can ask with them. */
    public boolean fitFor(ChatSession session) {
        return madeBy == session;
    }

    List<TileLayout> layouts() {
        return layouts;
    }

    ImageFeatures features() {
        return features;
    }
}
