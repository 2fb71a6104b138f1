package io.glance.model.catalog;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import io.glance.model.PrecisionSet;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The models Glance offers, read from {@code model-assets/catalog.json} (format: {@code catalog_version} 1,
 * {@code default_base_url}, {@code models[]} with {@code id}, {@code repo}, {@code revision}, {@code files[]} of
 * {@code path}/{@code size}/{@code sha256}, …). Reading it never touches the network. Immutable once loaded;
 * safe on any thread.
 */
public final class ModelCatalog {
    /** The only catalog format version this code reads. */
    public static final int FORMAT_VERSION = 1;

    private final URI defaultBaseUrl;
    private final List<CatalogModel> models;

    public ModelCatalog(URI defaultBaseUrl, List<CatalogModel> models) {
        this.defaultBaseUrl = defaultBaseUrl;
        this.models = List.copyOf(models);
    }

    /**
     * Reads and checks a catalog file.
     *
     * @throws CatalogException naming the file and the entry or key that is wrong
     */
    public static ModelCatalog load(Path file) throws CatalogException {
        JsonObject root;
        try {
            JsonElement element = JsonParser.parseString(Files.readString(file));
            if (!element.isJsonObject()) {
                throw new CatalogException(file + " is not a JSON object");
            }
            root = element.getAsJsonObject();
        } catch (IOException e) {
            throw new CatalogException("cannot read model catalog " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new CatalogException("model catalog " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            int version = root.get("catalog_version").getAsInt();
            if (version != FORMAT_VERSION) {
                throw new CatalogException("model catalog " + file + " has catalog_version " + version
                        + "; this Glance reads version " + FORMAT_VERSION);
            }
            List<CatalogModel> models = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (JsonElement element : root.getAsJsonArray("models")) {
                CatalogModel model = parseModel(element.getAsJsonObject());
                if (!ids.add(model.id())) {
                    throw new CatalogException("model catalog " + file + " lists id " + model.id() + " twice");
                }
                models.add(model);
            }
            return new ModelCatalog(URI.create(root.get("default_base_url").getAsString()), models);
        } catch (RuntimeException e) {
            throw new CatalogException("model catalog " + file + " is malformed: " + e, e);
        }
    }

    /** Where downloads come from unless the user configures a mirror: {@code https://huggingface.co}. */
    public URI defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** Every model, in catalog order (bundled demo first). */
    public List<CatalogModel> models() {
        return models;
    }

    /** The model named by id, name or repository (case-insensitive). */
    public Optional<CatalogModel> find(String idOrName) {
        return models.stream().filter(m -> m.isNamed(idOrName)).findFirst();
    }

    private static CatalogModel parseModel(JsonObject json) throws CatalogException {
        String id = json.get("id").getAsString();
        boolean bundled = json.has("bundled") && json.get("bundled").getAsBoolean();
        List<CatalogFile> files = new ArrayList<>();
        for (JsonElement element : json.getAsJsonArray("files")) {
            JsonObject file = element.getAsJsonObject();
            files.add(new CatalogFile(file.get("path").getAsString(),
                    file.has("size") ? file.get("size").getAsLong() : null,
                    file.has("sha256") ? file.get("sha256").getAsString() : null));
        }
        List<PrecisionSet> sets = new ArrayList<>();
        for (JsonElement element : json.getAsJsonArray("precision_sets")) {
            sets.add(PrecisionSet.parse(element.getAsString()));
        }
        JsonObject recommended = json.getAsJsonObject("recommended_precision");
        CatalogModel model = new CatalogModel(id, json.get("name").getAsString(), optionalString(json, "repo"),
                optionalString(json, "revision"), json.has("revision_pinned") && json.get("revision_pinned").getAsBoolean(),
                bundled, json.get("description").getAsString(), required(json, "family", id),
                required(json, "good_at", id), json.get("licence").getAsString(),
                PrecisionSet.parse(recommended.get("cpu").getAsString()),
                PrecisionSet.parse(recommended.get("gpu").getAsString()), sets,
                json.get("verification").getAsString(), files);
        if (!bundled) {
            if (model.repo() == null || model.revision() == null) {
                throw new CatalogException("catalog model " + id + " has no repo or revision");
            }
            for (String config : model.requiredConfigFiles()) {
                if (model.file(config).isEmpty()) {
                    throw new CatalogException("catalog model " + id + " does not list " + config);
                }
            }
            for (PrecisionSet set : sets) {
                model.filesFor(set);
            }
        }
        return model;
    }

    private static String required(JsonObject json, String key, String id) throws CatalogException {
        String value = optionalString(json, key);
        if (value == null || value.isBlank()) {
            throw new CatalogException("catalog model " + id + " has no '" + key + "'");
        }
        return value;
    }

    private static String optionalString(JsonObject json, String key) {
        return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsString() : null;
    }
}
