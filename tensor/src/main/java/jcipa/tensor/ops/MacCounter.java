package jcipa.tensor.ops;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * An opt-in count of the multiply-accumulates (MACs) of the ops run on this thread, by the rules
 * of fvcore's {@code FlopCountAnalysis} (whose "flops" are MACs: one fused multiply-add is one).
 * While a counter is open ({@link #start()} ... {@link #close()}), each counted op adds its
 * {@link Op} rule for the shapes it was called with; ops fvcore ignores (elementwise arithmetic,
 * activations, views, concatenation, max pooling) add nothing. With no counter open an op pays
 * one thread-local read.
 *
 * <p>The rules are also public so that a shape-only walk of a network (no forward) can sum the
 * same numbers.
 */
public final class MacCounter implements AutoCloseable {
    /** The ops fvcore counts, with its rule for each; names are fvcore's operator keys. */
    public enum Op {
        /** aten::linear: numel(x)·out. */
        LINEAR("linear"),
        /** aten::matmul / einsum / bmm: numel(A)·N for A (..., M, K) · B (..., K, N). */
        MATMUL("matmul"),
        /** aten::_convolution: N·Cout·Ho·Wo·(Cin/groups)·kh·kw; the bias is not counted. */
        CONV("conv"),
        /** aten::layer_norm: 5 per element with an affine transform, 4 without. */
        LAYER_NORM("layer_norm"),
        /** aten::batch_norm: evaluation 2 per element (1 without affine); training as layer_norm. */
        BATCH_NORM("batch_norm"),
        /** aten::upsample_bilinear2d: 4 per output element. */
        UPSAMPLE_BILINEAR("upsample_bilinear2d"),
        /** aten::adaptive_avg_pool2d: 1 per input element. */
        ADAPTIVE_AVG_POOL("adaptive_avg_pool2d"),
        /** VMamba's selective_scan_flop_jit: 9·B·L·D·N + B·D·L (the D·u skip; no z gate). */
        SELECTIVE_SCAN("selective_scan");

        public final String fvcoreName;

        Op(String fvcoreName) { this.fvcoreName = fvcoreName; }
    }

    private static final ThreadLocal<MacCounter> ACTIVE = new ThreadLocal<>();

    private final Map<Op, Long> byOp = new EnumMap<>(Op.class);
    private final MacCounter outer;
    private boolean closed;

    private MacCounter(MacCounter outer) { this.outer = outer; }

    /** Opens a counter on this thread (nested counters each see the ops run while they are innermost). */
    public static MacCounter start() {
        MacCounter c = new MacCounter(ACTIVE.get());
        ACTIVE.set(c);
        return c;
    }

    /** Stops counting; the counts stay readable. */
    @Override
    public void close() {
        if (closed) return;
        if (ACTIVE.get() != this) throw new IllegalStateException("MacCounter: close the innermost counter first");
        closed = true;
        if (outer == null) ACTIVE.remove();
        else ACTIVE.set(outer);
    }

    /** Adds {@code macs} under {@code op} to this thread's open counter, if there is one. */
    public static void add(Op op, long macs) {
        MacCounter c = ACTIVE.get();
        if (c != null) c.byOp.merge(op, macs, Long::sum);
    }

    /** True while a counter is open on this thread. */
    public static boolean active() { return ACTIVE.get() != null; }

    public long total() {
        long t = 0;
        for (long v : byOp.values()) t += v;
        return t;
    }

    /** MACs per op kind, in {@link Op} order. */
    public Map<Op, Long> byOperator() { return Collections.unmodifiableMap(byOp); }

    // ---- fvcore's rules ----

    /** y = x·Wᵀ (+ b) on x of {@code inputNumel} elements, {@code out} output features. */
    public static long linear(long inputNumel, int out) { return inputNumel * out; }

    /** A (..., M, K) of {@code aNumel} elements times B (..., K, N). */
    public static long matmul(long aNumel, int n) { return aNumel * n; }

    /** A convolution's output (n, cOut, ho, wo), each output summing cInPerGroup·kh·kw products. */
    public static long conv(int n, int cOut, int ho, int wo, int cInPerGroup, int kh, int kw) {
        return (long) n * cOut * ho * wo * cInPerGroup * kh * kw;
    }

    public static long layerNorm(long numel, boolean affine) { return numel * (affine ? 5 : 4); }

    public static long batchNorm(long numel, boolean affine, boolean training) {
        return training ? layerNorm(numel, affine) : numel * (affine ? 2 : 1);
    }

    public static long bilinear(long outNumel) { return 4 * outNumel; }

    public static long adaptiveAvgPool(long inNumel) { return inNumel; }

    /** u (batch, channels, length) with {@code state} states per channel. */
    public static long selectiveScan(int batch, int channels, int length, int state) {
        long bdl = (long) batch * channels * length;
        return 9 * bdl * state + bdl;
    }
}
