package jcipa.model;

import jcipa.nn.Trace;
import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;

/**
 * When a module may add into its own fresh intermediate instead of making a new array for a sum
 * ({@link jcipa.tensor.ops.Pointwise#addInPlace}): at inference (no gradient recorded) with no trace
 * sink installed (a sink may hold module outputs), on a contiguous tensor. The sums are the same (IEEE
 * addition is commutative), so the bits are; at 512×512 each such sum at stage 0 spares a 6 MB array.
 */
final class InPlace {
    private InPlace() {}

    /** Whether {@code fresh}, an intermediate only the caller holds, may be added into. */
    static boolean allowed(Tensor fresh) {
        return !Autograd.isEnabled() && !Trace.active() && fresh.isContiguous() && fresh.offset() == 0;
    }

    /**
     * Gives the storage of intermediates that only the caller holds, and no longer reads (nor any view of them),
     * to the next op outputs of their sizes ({@link Tensor#recycle}): at inference with no trace sink
     * installed, as for {@link #allowed}. A forward pass then reuses a few arrays, warm in cache, for its
     * SS2D intermediates instead of allocating (and the JVM clearing, on one thread) new ones each time.
     */
    static void recycle(Tensor... intermediates) {
        if (Autograd.isEnabled() || Trace.active()) return;
        for (Tensor t : intermediates) Tensor.recycle(t);
    }

    /**
     * {@link #recycle}s {@code dead} unless one of {@code live} shares its storage (a layout change, a resize to
     * the same size or a contiguous() of a contiguous tensor may return a view of its input).
     */
    static void recycleApart(Tensor dead, Tensor... live) {
        for (Tensor t : live) if (t.sharesStorageWith(dead)) return;
        recycle(dead);
    }

    /**
     * The blocks one after another from {@code in}, giving each block's output back once the next block has read
     * it (never {@code in}, nor the last output, which the caller gets).
     */
    static <B> Tensor throughBlocks(Tensor in, Iterable<B> blocks, java.util.function.BiFunction<B, Tensor, Tensor> forward) {
        Tensor x = in;
        for (B block : blocks) {
            Tensor next = forward.apply(block, x);
            recycleApart(x, in, next);
            x = next;
        }
        return x;
    }

    /** op(norm(x)), giving norm's output back ({@link #recycle}) once op has read it: a block's pre-norm branch. */
    static Tensor normThen(Tensor x, java.util.function.UnaryOperator<Tensor> norm, java.util.function.UnaryOperator<Tensor> op) {
        Tensor normed = norm.apply(x), out = op.apply(normed);
        recycleApart(normed, x, out);
        return out;
    }

    /** {@link #allowed}, and {@code fresh} is a copy: it shares no storage with {@code source}, which the caller may still hold. */
    static boolean allowedCopyOf(Tensor fresh, Tensor source) {
        return !fresh.sharesStorageWith(source) && allowed(fresh);
    }
}
