package io.glance.library;

import com.google.gson.reflect.TypeToken;
import io.glance.settings.JsonFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** CSV and JSON exports read back to the same images, awkward captions included. */
class IndexExportTest {
    @TempDir
    Path dir;

    private final List<IndexedImage> images = List.of(
            LibraryIndexTest.image("plain.png", "A red circle."),
            LibraryIndexTest.image("sub/comma, quote.png", "A \"red\" circle, and\na blue square.\r\nÜnïcode ✓"),
            LibraryIndexTest.image("embedded.png", "A cat.").withEmbedding("clip q8", new float[] {0.6f, -0.8f}));

    @Test
    void jsonRoundTrips() throws IOException {
        Path file = dir.resolve("export.json");
        IndexExport.write(images, IndexExport.Format.JSON, file);
        List<IndexedImage> read = JsonFile.gson().fromJson(Files.readString(file, StandardCharsets.UTF_8),
                new TypeToken<List<IndexedImage>>() { }.getType());
        assertEquals(images, read);
    }

    @Test
    void csvRoundTrips() throws IOException {
        Path file = dir.resolve("export.csv");
        IndexExport.write(images, IndexExport.Format.parse("csv"), file);
        List<List<String>> rows = parseCsv(Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of("path", "caption", "model", "precision", "prompt", "captionedAt", "width", "height",
                "sizeBytes", "modifiedMillis", "sha256", "embeddingModel", "embedding"), rows.get(0));
        assertEquals(images.size() + 1, rows.size());
        for (int i = 0; i < images.size(); i++) {
            List<String> row = rows.get(i + 1);
            IndexedImage image = images.get(i);
            assertEquals(image, new IndexedImage(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5),
                    Integer.parseInt(row.get(6)), Integer.parseInt(row.get(7)), Long.parseLong(row.get(8)),
                    Long.parseLong(row.get(9)), row.get(10), emptyAsNull(row.get(11)), emptyAsNull(row.get(12))));
        }
    }

    private static String emptyAsNull(String field) {
        return field.isEmpty() ? null : field;
    }

    @Test
    void unknownFormatsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IndexExport.Format.parse("xml"));
        assertEquals("unknown export format 'xml' (csv or json)", e.getMessage());
    }

    /** An RFC 4180 reader, enough to check the writer: quoted fields, doubled quotes, CRLF records. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        return rows;
    }
}
