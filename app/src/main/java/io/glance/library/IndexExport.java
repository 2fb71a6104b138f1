package io.glance.library;

import io.glance.settings.JsonFile;

import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the captioned images of an index as CSV (RFC 4180: a header row, comma-separated, fields with
 * commas, quotes or line breaks quoted, CRLF line ends, UTF-8) or as a JSON array of objects. Both have the
 * components of {@link IndexedImage} as columns or keys, in its order. Stateless; safe on any thread.
 */
public final class IndexExport {
    /** An export file format. */
    public enum Format {
        CSV, JSON;

        /**
         * @throws IllegalArgumentException naming the formats when {@code name} is none of them
         */
        public static Format parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown export format '" + name + "' (csv or json)");
            }
        }
    }

    private static final RecordComponent[] COLUMNS = IndexedImage.class.getRecordComponents();

    private IndexExport() {
    }

    /** Writes {@code images} to {@code file} in {@code format}, replacing the file. */
    public static void write(List<IndexedImage> images, Format format, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            switch (format) {
                case CSV -> writeCsv(images, out);
                case JSON -> JsonFile.gson().toJson(images, out);
            }
        }
    }

    /** The CSV of {@code images}, header first. */
    public static void writeCsv(List<IndexedImage> images, Writer out) throws IOException {
        String[] header = new String[COLUMNS.length];
        for (int c = 0; c < COLUMNS.length; c++) {
            header[c] = COLUMNS[c].getName();
        }
        writeRow(header, out);
        for (IndexedImage image : images) {
            String[] row = new String[COLUMNS.length];
            for (int c = 0; c < COLUMNS.length; c++) {
                Object value = value(image, COLUMNS[c]);
                row[c] = value == null ? "" : value.toString();
            }
            writeRow(row, out);
        }
    }

    private static Object value(IndexedImage image, RecordComponent column) {
        try {
            return column.getAccessor().invoke(image);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("a record accessor failed: " + column.getName(), e);
        }
    }

    private static void writeRow(String[] fields, Writer out) throws IOException {
        for (int c = 0; c < fields.length; c++) {
            if (c > 0) {
                out.write(',');
            }
            out.write(quoted(fields[c]));
        }
        out.write("\r\n");
    }

    private static String quoted(String field) {
        boolean plain = field.chars().noneMatch(ch -> ch == ',' || ch == '"' || ch == '\n' || ch == '\r');
        return plain ? field : '"' + field.replace("\"", "\"\"") + '"';
    }
}
