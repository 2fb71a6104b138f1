package io.glance.ui.history;

import java.util.List;

/**
 * One conversation as stored. Immutable.
 *
 * @param id        a unique id
 * @param createdAt epoch milliseconds of the first question
 * @param turns     questions and answers in order
 */
public record SavedChat(String id, long createdAt, List<SavedTurn> turns) {

    /** The first question, for menus. */
    public String title() {
        return turns.isEmpty() ? "Empty chat" : turns.get(0).question();
    }
}
