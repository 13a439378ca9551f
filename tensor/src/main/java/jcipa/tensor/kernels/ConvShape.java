package jcipa.tensor.kernels;

/**
 * The geometry of one 2-D convolution, PyTorch {@code F.conv2d} semantics (dilation 1, zero padding).
 *
 * <p>Input (n, cIn, h, w), weight (cOut, cIn/groups, kh, kw), optional bias (cOut), output
 * (n, cOut, ho, wo) with ho = (h + 2·ph − kh)/sh + 1 and wo = (w + 2·pw − kw)/sw + 1 (floor division).
 * Output channel co belongs to group g = co / (cOut/groups) and sees input channels
 * g·(cIn/groups) ... (g+1)·(cIn/groups) − 1.
 */
public record ConvShape(int n, int cIn, int h, int w, int cOut, int kh, int kw,
                        int sh, int sw, int ph, int pw, int groups) {

    /** Checks the dimensions; the message names the sizes. */
    public ConvShape {
        if (n < 1 || cIn < 1 || h < 1 || w < 1 || cOut < 1 || kh < 1 || kw < 1 || sh < 1 || sw < 1
                || ph < 0 || pw < 0 || groups < 1)
            throw new IllegalArgumentException("conv2d: non-positive size in " + describe(n, cIn, h, w, cOut, kh, kw, sh, sw, ph, pw, groups));
        if (cIn % groups != 0 || cOut % groups != 0)
            throw new IllegalArgumentException("conv2d: channels not divisible by groups in " + describe(n, cIn, h, w, cOut, kh, kw, sh, sw, ph, pw, groups));
        if (h + 2 * ph < kh || w + 2 * pw < kw)
            throw new IllegalArgumentException("conv2d: kernel larger than padded input in " + describe(n, cIn, h, w, cOut, kh, kw, sh, sw, ph, pw, groups));
        long big = (long) n * cIn * h * w + (long) n * cOut * h * w + (long) cOut * cIn * kh * kw;
        if (big > Integer.MAX_VALUE)
            throw new IllegalArgumentException("conv2d: arrays too large in " + describe(n, cIn, h, w, cOut, kh, kw, sh, sw, ph, pw, groups));
    }

    /** Square kernel, equal stride and padding in both directions, groups given. */
    public static ConvShape of(int n, int cIn, int h, int w, int cOut, int k, int stride, int pad, int groups) {
        return new ConvShape(n, cIn, h, w, cOut, k, k, stride, stride, pad, pad, groups);
    }

    public int ho() { return (h + 2 * ph - kh) / sh + 1; }
    public int wo() { return (w + 2 * pw - kw) / sw + 1; }
    public int cInPerGroup() { return cIn / groups; }
    public int cOutPerGroup() { return cOut / groups; }
    /** Taps per output channel: (cIn/groups)·kh·kw, the row length of the weight matrix. */
    public int taps() { return cInPerGroup() * kh * kw; }
    public int inputSize() { return n * cIn * h * w; }
    public int outputSize() { return n * cOut * ho() * wo(); }
    public int weightSize() { return cOut * taps(); }

    /** True for a 1×1, stride-1, unpadded conv: the input planes are already the im2col matrix. */
    boolean pointwise() { return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0; }

    /** Throws unless {@code a} has exactly {@code expected} elements. */
    void checkLength(String kernel, String name, float[] a, int expected) {
        if (a == null || a.length != expected)
            throw new IllegalArgumentException(kernel + ": " + name + " has " + (a == null ? "no array" : a.length + " elements")
                    + ", expected " + expected + " for " + this);
    }

    @Override
    public String toString() { return describe(n, cIn, h, w, cOut, kh, kw, sh, sw, ph, pw, groups); }

    private static String describe(int n, int cIn, int h, int w, int cOut, int kh, int kw, int sh, int sw, int ph, int pw, int groups) {
        return "input (" + n + "," + cIn + "," + h + "," + w + ") weight (" + cOut + ",cIn/" + groups + "," + kh + "," + kw
                + ") stride (" + sh + "," + sw + ") padding (" + ph + "," + pw + ") groups " + groups;
    }
}
