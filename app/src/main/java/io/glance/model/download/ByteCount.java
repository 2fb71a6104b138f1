package io.glance.model.download;

import java.util.Locale;

/** Byte counts as people read them ({@code 86.6 MB}), decimal units as download sizes are usually shown. */
public final class ByteCount {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};

    private ByteCount() {
    }

    /** {@code 512 B}, {@code 1.5 kB}, {@code 86.6 MB}, …; negative (unknown) sizes read {@code ?}. */
    public static String format(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
