package jcipa.model;

import java.util.Arrays;

/**
 * The size of a CIPA network: encoder width {@code dims} (C_0; stage i has C_0·2^i channels),
 * encoder depths per stage, decoder depths per stage, the square input size, and the encoder's
 * stochastic-depth rate. The named configurations are the official ones (models/builder.py and
 * dual_vmamba.py): sigma_tiny dims 96 depths [2,2,9,2]; sigma_small dims 96 depths [2,2,27,2];
 * sigma_base dims 128 depths [2,2,27,2]; decoder depths [4,4,4,4] for all.
 */
public record CipaConfig(String name, int dims, int[] depths, int[] decoderDepths, int imageSize, double encoderDropPath) {

    public CipaConfig {
        if (dims < 30)
            throw new IllegalArgumentException("dims " + dims + " is too small: the decoder's channel attention squeezes C_0 channels to C_0/30 (integer division), "
                    + "which must be at least 1, so dims must be at least 30");
        if (depths.length != 4 || decoderDepths.length != 4)
            throw new IllegalArgumentException("depths and decoder depths need 4 stages, got " + Arrays.toString(depths) + " and " + Arrays.toString(decoderDepths));
        for (int d : depths) if (d < 1) throw new IllegalArgumentException("encoder depths must be >= 1: " + Arrays.toString(depths));
        for (int d : decoderDepths) if (d < 1) throw new IllegalArgumentException("decoder depths must be >= 1: " + Arrays.toString(decoderDepths));
        checkImageSize(imageSize);
        depths = depths.clone();
        decoderDepths = decoderDepths.clone();
    }

    /**
     * The input must be a square whose side is a positive multiple of 128: the encoder halves the
     * resolution three times after a 4× patch embedding (side/32 at stage 3), and DCIM cuts every
     * stage into 4×4 regions, so side/32 must itself be divisible by 4.
     */
    public static void checkImageSize(int size) {
        if (size < 128 || size % 128 != 0)
            throw new IllegalArgumentException("image size " + size + " is not supported: CIPA needs a square image whose side is a positive multiple of 128 "
                    + "(the encoder reduces it 32-fold and DCIM cuts each stage into 4x4 regions)");
    }

    public static CipaConfig tiny(int size) { return new CipaConfig("sigma_tiny", 96, new int[] {2, 2, 9, 2}, new int[] {4, 4, 4, 4}, size, 0.0); }

    public static CipaConfig small(int size) { return new CipaConfig("sigma_small", 96, new int[] {2, 2, 27, 2}, new int[] {4, 4, 4, 4}, size, 0.3); }

    public static CipaConfig base(int size) { return new CipaConfig("sigma_base", 128, new int[] {2, 2, 27, 2}, new int[] {4, 4, 4, 4}, size, 0.6); }

    /** A configuration by name: tiny, small, base (or sigma_tiny, ...). */
    public static CipaConfig named(String name, int size) {
        return switch (name.replace("sigma_", "")) {
            case "tiny" -> tiny(size);
            case "small" -> small(size);
            case "base" -> base(size);
            default -> throw new IllegalArgumentException("unknown configuration '" + name + "' (tiny, small, base, or custom dims/depths)");
        };
    }

    /** Channels at encoder stage i. */
    public int channels(int stage) { return dims << stage; }

    /** Side of the feature map at encoder stage i. */
    public int side(int stage) { return imageSize / 4 >> stage; }

    @Override
    public String toString() {
        return name + "(dims " + dims + ", depths " + Arrays.toString(depths) + ", decoder " + Arrays.toString(decoderDepths) + ", " + imageSize + "x" + imageSize + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CipaConfig c && c.dims == dims && Arrays.equals(c.depths, depths) && Arrays.equals(c.decoderDepths, decoderDepths)
                && c.imageSize == imageSize && c.encoderDropPath == encoderDropPath && c.name.equals(name);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(depths) * 31 + dims * 7 + imageSize; }
}
