package jcipa.data;

import java.util.List;

/**
 * A batch as the network takes it: {@code ct} and {@code pet} (B, 3, S, S) and {@code mask}
 * (B, 1, S, S) float32, row-major, B = {@code names.size()}, S = {@code size} (the image side).
 * {@code mask} is null when the slices have no masks.
 */
public record Batch(List<String> names, int size, float[] ct, float[] pet, float[] mask) {
    public Batch {
        names = List.copyOf(names);
        int plane = size * size, b = names.size();
        if (ct.length != b * 3 * plane || pet.length != b * 3 * plane || (mask != null && mask.length != b * plane))
            throw new IllegalArgumentException("Batch: " + b + " images of " + size + "x" + size + " need " + (b * 3 * plane) + "/" + (b * plane)
                    + " values, got ct " + ct.length + ", pet " + pet.length + ", mask " + (mask == null ? "none" : mask.length));
    }

    /** B, the number of slices. */
    public int count() {
        return names.size();
    }
}
