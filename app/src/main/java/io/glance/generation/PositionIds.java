package io.glance.generation;

import java.util.Arrays;

/**
 * The decoder's position ids for a run of tokens: one row for a plain 1-D rotary embedding, three (time,
 * height, width) for a multimodal rotary embedding. Every row has the same length. Immutable by convention.
 *
 * @param rows {@code (rows, length)}
 */
public record PositionIds(long[][] rows) {
    public PositionIds {
        if (rows.length == 0) {
            throw new IllegalArgumentException("position ids need at least one row");
        }
        for (long[] row : rows) {
            if (row.length != rows[0].length) {
                throw new IllegalArgumentException("position rows differ in length");
            }
        }
    }

    /** {@code count} consecutive positions from {@code first}, the same in each of {@code rowCount} rows. */
    public static PositionIds consecutive(int rowCount, long first, int count) {
        long[][] rows = new long[rowCount][count];
        for (long[] row : rows) {
            for (int i = 0; i < count; i++) {
                row[i] = first + i;
            }
        }
        return new PositionIds(rows);
    }

    /** Tokens covered. */
    public int length() {
        return rows[0].length;
    }

    /** Columns {@code from..to}. */
    public PositionIds slice(int from, int to) {
        long[][] part = new long[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            part[r] = Arrays.copyOfRange(rows[r], from, to);
        }
        return new PositionIds(part);
    }

    /** The position the token after these takes in every row: one past the largest. */
    public long next() {
        long max = -1;
        for (long[] row : rows) {
            for (long value : row) {
                max = Math.max(max, value);
            }
        }
        return max + 1;
    }
}
