package io.glance.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * One JSON object of a model's config files, with typed reads whose failures name the file and key
 * ({@code config.json text_config has no integer 'hidden_size'}). Immutable; safe on any thread.
 *
 * @param json  the object
 * @param where how messages name it, e.g. {@code config.json text_config}
 */
public record ConfigJson(JsonObject json, String where) {

    /**
     * Reads a file that must hold one JSON object.
     *
     * @throws InvalidModelException when it cannot be read or is not a JSON object
     */
    public static ConfigJson read(Path file) throws InvalidModelException {
        try {
            JsonElement element = JsonParser.parseString(Files.readString(file));
            if (!element.isJsonObject()) {
                throw new InvalidModelException(file + " is not a JSON object");
            }
            return new ConfigJson(element.getAsJsonObject(), file.getFileName().toString());
        } catch (IOException e) {
            throw new InvalidModelException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new InvalidModelException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    public boolean has(String key) {
        return json.has(key) && !json.get(key).isJsonNull();
    }

    /** @throws InvalidModelException when the key is not an object */
    public ConfigJson object(String key) throws InvalidModelException {
        return optionalObject(key).orElseThrow(() -> new InvalidModelException(where + " has no object '" + key + "'"));
    }

    public Optional<ConfigJson> optionalObject(String key) {
        if (!json.has(key) || !json.get(key).isJsonObject()) {
            return Optional.empty();
        }
        return Optional.of(new ConfigJson(json.getAsJsonObject(key), where + " " + key));
    }

    /** @throws InvalidModelException when the key is not an integer */
    public int integer(String key) throws InvalidModelException {
        try {
            if (json.has(key) && json.get(key).isJsonPrimitive()) {
                return json.get(key).getAsInt();
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new InvalidModelException(where + " has no integer '" + key + "'");
    }

    /** The integer at {@code key}, or {@code fallback} when the key is absent. */
    public int integer(String key, int fallback) throws InvalidModelException {
        return has(key) ? integer(key) : fallback;
    }

    /** The number at {@code key}, or {@code fallback} when the key is absent. */
    public double number(String key, double fallback) throws InvalidModelException {
        if (!has(key)) {
            return fallback;
        }
        try {
            return json.get(key).getAsDouble();
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException e) {
            throw new InvalidModelException(where + " has no number '" + key + "'");
        }
    }

    public boolean bool(String key, boolean fallback) {
        return has(key) ? json.get(key).getAsBoolean() : fallback;
    }

    public Optional<String> string(String key) {
        return has(key) && json.get(key).isJsonPrimitive() ? Optional.of(json.get(key).getAsString()) : Optional.empty();
    }

    /** @throws InvalidModelException when the key is not an array of three numbers */
    public double[] threeNumbers(String key) throws InvalidModelException {
        JsonElement element = json.get(key);
        if (element == null || !element.isJsonArray() || element.getAsJsonArray().size() != 3) {
            throw new InvalidModelException(where + " has no 3-value array '" + key + "'");
        }
        JsonArray array = element.getAsJsonArray();
        try {
            return new double[] {array.get(0).getAsDouble(), array.get(1).getAsDouble(), array.get(2).getAsDouble()};
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException e) {
            throw new InvalidModelException(where + " '" + key + "' holds something other than numbers");
        }
    }

    /** Adds the id or ids at {@code key} (a number or an array of numbers) to {@code ids}. */
    public void addIds(String key, Set<Integer> ids) {
        JsonElement element = json.get(key);
        if (element == null || element.isJsonNull()) {
            return;
        }
        if (element.isJsonArray()) {
            element.getAsJsonArray().forEach(e -> ids.add(e.getAsInt()));
        } else {
            ids.add(element.getAsInt());
        }
    }
}
