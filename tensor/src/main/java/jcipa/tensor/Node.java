package jcipa.tensor;

import java.util.List;

/**
 * One recorded op in the autograd graph: its name, where the gradient of each input goes, and its backward — the
 * function that maps the gradient of the op's output to the gradients of its inputs (the chain rule for that op).
 *
 * <p>A node does not hold its inputs' values: only an {@link Edge} per input that needs a gradient. What a backward
 * needs (an input of a product, the output of an exp) its closure keeps; an intermediate tensor that no backward
 * needs (the input of a sum, of a copy, of a layout change) is freed once the forward is done with it, and what a
 * backward kept is freed once it has run, as in PyTorch.
 */
public final class Node {
    private final String op;
    private final List<Edge> edges;
    private Backward backward;          // null once run: what it kept is freed, as PyTorch frees saved tensors

    Node(String op, List<Edge> edges, Backward backward) {
        this.op = op;
        this.edges = edges;
        this.backward = backward;
    }

    /** The op's name. */
    public String op() { return op; }

    /** Per input, where its gradient goes (null where the input needs none). */
    public List<Edge> edges() { return edges; }

    /**
     * Runs the op's backward once and lets go of it, with everything it kept: a graph is backpropagated once (record
     * the forward again for another pass).
     */
    Tensor[] runBackward(Tensor gradOutput) {
        Backward b = backward;
        if (b == null)
            throw new IllegalStateException(op + ": backward through a graph that was already backpropagated (its saved values are freed); run the forward again");
        backward = null;
        return b.apply(gradOutput);
    }

    /** The chain rule of one op: given dL/d(output), returns dL/d(input_i) for each input (null where not needed). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    /**
     * Where the gradient of one input goes: to the node that computed it, or, for a leaf, into the leaf tensor's
     * {@link Tensor#grad()} (exactly one of the two is set); with the input's shape and dtype, which the gradient
     * must have.
     */
    public record Edge(Node node, Tensor leaf, int[] shape, DType dtype) {
        /** The edge to {@code t}, or null when t is absent or needs no gradient. */
        static Edge to(Tensor t) {
            if (t == null || !t.requiresGrad) return null;
            return new Edge(t.node, t.node == null ? t : null, t.shape, t.dtype());
        }
    }
}
