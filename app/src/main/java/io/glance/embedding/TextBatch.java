package io.glance.embedding;

/**
 * Token ids of several texts padded to one length, row-major, with the attention mask (1 for a token, 0 for
 * padding). Immutable after construction; safe on any thread once built.
 *
 * @param ids    {@code rows × length} token ids
 * @param mask   {@code rows × length} attention mask
 * @param rows   number of texts
 * @param length tokens per row
 */
public record TextBatch(long[] ids, long[] mask, int rows, int length) {

    /** The ids of one row, padding included. */
    public long[] row(int row) {
        long[] out = new long[length];
        System.arraycopy(ids, row * length, out, 0, length);
        return out;
    }
}
