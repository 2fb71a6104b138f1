package io.glance.ui.history;

import com.google.gson.reflect.TypeToken;
import com.google.gson.JsonParseException;
import io.glance.settings.JsonFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps chats across restarts: {@code chats.json} (newest last) and an {@code images/} folder beside it
 * with the pictures the questions were about. Call on the I/O thread (the inference thread may write
 * images). Thread-safe.
 */
public final class ChatHistoryStore {
    /** Older chats beyond this many are dropped from the file (their images stay until cleaned). */
    static final int MAX_CHATS = 50;

    private final Path folder;
    private final JsonFile chatsFile;

    public ChatHistoryStore(Path folder) {
        this.folder = folder;
        this.chatsFile = new JsonFile(folder.resolve("chats.json"));
    }

    /** Where question images are written. */
    public Path imagesFolder() {
        return folder.resolve("images");
    }

    /** The stored chats, oldest first; empty when there are none or the file is unreadable. */
    public List<SavedChat> load() {
        List<SavedChat> chats;
        try {
            chats = chatsFile.read(new TypeToken<List<SavedChat>>() { }.getType());
        } catch (IOException | JsonParseException unreadable) {
            chats = null;
        }
        if (chats == null) {
            return List.of();
        }
        return chats.stream().filter(c -> c != null && c.id() != null && c.turns() != null).toList();
    }

    /** Adds or replaces (by id) one chat and writes the file. */
    public synchronized void save(SavedChat chat) throws IOException {
        List<SavedChat> chats = new ArrayList<>(load());
        chats.removeIf(c -> c.id().equals(chat.id()));
        chats.add(chat);
        if (chats.size() > MAX_CHATS) {
            chats = chats.subList(chats.size() - MAX_CHATS, chats.size());
        }
        chatsFile.write(chats);
    }
}
