package io.glance.ui.chat;

import io.glance.generation.FinishReason;
import io.glance.generation.GenerationResult;
import io.glance.session.Answer;

import java.util.Locale;

/** The details line under an answer: its length and speed, device, image tokens, and what was reused or read ahead. Stateless. */
final class AnswerDetails {
    private AnswerDetails() {
    }

    static String describe(Answer answer) {
        GenerationResult result = answer.result();
        StringBuilder line = new StringBuilder();
        if (!Double.isNaN(result.timings().ttftMs())) {
            line.append(String.format(Locale.ROOT, "first token %.0f ms", result.timings().ttftMs()));
        }
        if (!Double.isNaN(result.timings().decodeTokensPerS())) {
            line.append(String.format(Locale.ROOT, " · %d tokens, %.1f tokens/s", result.tokenIds().length,
                    result.timings().decodeTokensPerS()));
        }
        line.append(" · ").append(answer.model().device());
        if (result.imageTokens() > 0) {
            line.append(" · ").append(result.imageTokens()).append(" image tokens");
        }
        if (result.reusedTokens() > 0) {
            line.append(" · follow-up, ").append(result.reusedTokens()).append(" cached tokens reused");
        }
        if (answer.readAhead()) {
            line.append(" · picture read ahead");
        }
        if (result.finishReason() == FinishReason.CANCELLED) {
            line.append(" · stopped");
        }
        return line.toString();
    }
}
