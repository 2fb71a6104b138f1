package io.glance.generation;

import java.util.List;

/**
 * How a family numbers the positions of a prompt for its rotary embedding. Whatever the prompt's positions, a
 * token generated after them takes {@link PositionIds#next()} in every row and each following one the next
 * number, which holds for 1-D positions and for Qwen-VL's multimodal ones. Stateless; safe on any thread.
 */
public interface PositionScheme {

    /**
     * Positions of every token of {@code prompt}.
     *
     * @param layouts the layouts of the prompt's pictures, in order
     */
    PositionIds positions(int[] prompt, List<ImageLayout> layouts);

    /** Positions 0, 1, 2, … in one row. */
    PositionScheme CONSECUTIVE = (prompt, layouts) -> PositionIds.consecutive(1, 0, prompt.length);
}
