package io.glance.ui.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Writes a chat as a Markdown file with its pictures copied beside it ({@code chat-…md} and an
 * {@code images/} folder). Call on the I/O thread. Stateless; thread-safe.
 */
public final class MarkdownExport {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss")
            .withZone(ZoneId.systemDefault());

    /**
     * @param imagesFolder where the chat's pictures are stored
     * @param target       the folder to write into (created if missing)
     * @return the Markdown file written
     */
    public Path write(SavedChat chat, Path imagesFolder, Path target) throws IOException {
        Files.createDirectories(target.resolve("images"));
        StringBuilder markdown = new StringBuilder("# Glance chat\n\n");
        for (SavedTurn turn : chat.turns()) {
            if (turn.imageFile() != null) {
                Files.copy(imagesFolder.resolve(turn.imageFile()), target.resolve("images").resolve(turn.imageFile()),
                        StandardCopyOption.REPLACE_EXISTING);
                markdown.append("![picture](images/").append(turn.imageFile()).append(")\n\n");
            }
            markdown.append("**Q:** ").append(turn.question()).append("\n\n");
            markdown.append(turn.answer()).append("\n\n");
            if (turn.details() != null && !turn.details().isBlank()) {
                markdown.append("_").append(turn.details()).append("_\n\n");
            }
        }
        Path file = target.resolve("chat-" + STAMP.format(Instant.ofEpochMilli(chat.createdAt())) + ".md");
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
        return file;
    }
}
