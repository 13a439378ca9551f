package jcipa.tensor;

import java.util.List;

/**
 * One recorded op in the autograd graph: its name, its inputs, and its backward — the function that
 * maps the gradient of the op's output to the gradients of its inputs (the chain rule for that op).
 */
public record Node(String op, List<Tensor> inputs, Backward backward) {

    /** The chain rule of one op: given dL/d(output), returns dL/d(input_i) for each input (null where not needed). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }
}
