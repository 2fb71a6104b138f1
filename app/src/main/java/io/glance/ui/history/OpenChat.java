package io.glance.ui.history;

import io.glance.vision.DecodedImage;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The chat on screen as the history keeps it: its id, creation time and finished turns, written to the
 * {@link ChatHistoryStore} on the I/O executor after every turn, and the list of all stored chats.
 *
 * <p>FX thread, except {@link #writePicture} (I/O executor). Failures to write reach {@code problem} on the FX
 * thread, as a message for people.
 */
public final class OpenChat {
    private final ChatHistoryStore history;
    private final Executor io;
    private final Executor ui;
    private final Consumer<String> problem;
    private final ReadOnlyObjectWrapper<List<SavedChat>> savedChats = new ReadOnlyObjectWrapper<>(List.of());
    private final List<SavedTurn> turns = new ArrayList<>();
    private String id = UUID.randomUUID().toString();
    private long createdAt = System.currentTimeMillis();

    public OpenChat(ChatHistoryStore history, Executor io, Executor ui, Consumer<String> problem) {
        this.history = history;
        this.io = io;
        this.ui = ui;
        this.problem = problem;
    }

    /** The chats in the history, oldest first, the open one included once it has a turn. */
    public ReadOnlyObjectProperty<List<SavedChat>> savedChatsProperty() {
        return savedChats.getReadOnlyProperty();
    }

    /** Reads the history on the I/O executor; {@code mostRecent} then gets the newest chat, if there is one. */
    public void restore(Consumer<SavedChat> mostRecent) {
        io.execute(() -> {
            List<SavedChat> chats = history.load();
            ui.execute(() -> {
                savedChats.set(chats);
                if (!chats.isEmpty()) {
                    mostRecent.accept(chats.get(chats.size() - 1));
                }
            });
        });
    }

    /** Makes a stored chat the open one; new turns are added to it. */
    public void reopen(SavedChat chat) {
        turns.clear();
        turns.addAll(chat.turns());
        id = chat.id();
        createdAt = chat.createdAt();
    }

    /** Starts an empty chat; the open one stays in the history. */
    public void startNew() {
        turns.clear();
        id = UUID.randomUUID().toString();
        createdAt = System.currentTimeMillis();
    }

    /** The open chat as stored. */
    public SavedChat saved() {
        return new SavedChat(id, createdAt, List.copyOf(turns));
    }

    /** Where the chats' pictures are. */
    public Path imagesFolder() {
        return history.imagesFolder();
    }

    /** I/O executor: writes a question's picture into the history's pictures as {@code name}; returns the file. */
    public Path writePicture(String name, DecodedImage picture) throws IOException {
        Files.createDirectories(history.imagesFolder());
        Path file = history.imagesFolder().resolve(name);
        picture.writeJpeg(file);
        return file;
    }

    /** Adds a finished turn to the open chat and writes the chat to the history. */
    public void remember(SavedTurn turn) {
        turns.add(turn);
        SavedChat chat = saved();
        List<SavedChat> chats = new ArrayList<>(savedChats.get());
        chats.removeIf(c -> c.id().equals(chat.id()));
        chats.add(chat);
        savedChats.set(List.copyOf(chats));
        io.execute(() -> {
            try {
                history.save(chat);
            } catch (IOException e) {
                ui.execute(() -> problem.accept("Could not save the chat history: " + e.getMessage()));
            }
        });
    }
}
