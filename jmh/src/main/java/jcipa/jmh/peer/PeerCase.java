package jcipa.jmh.peer;

import ai.djl.ndarray.NDArray;
import jcipa.tensor.Tensor;

/**
 * One op at one CIPA shape, computed by jcipa and by PyTorch from the same float32 inputs.
 *
 * @param op        what the op is and where CIPA uses it
 * @param shape     its shapes, as PyTorch would print them
 * @param tolerance the largest |ours − PyTorch| / max|PyTorch| taken as the same computation in float32
 * @param warmup    untimed runs per side before the timed ones
 * @param repeats   timed runs per side
 * @param ours      one run of the jcipa op the model calls
 * @param theirs    one run of the PyTorch op
 */
record PeerCase(String op, String shape, double tolerance, int warmup, int repeats, Op<Tensor> ours, Op<NDArray> theirs) {
    /** One run of an op. */
    @FunctionalInterface
    interface Op<T> { T run() throws Exception; }
}
