package jcipa.nn;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/** Initial values for new parameters. Loading a state dict replaces them. */
public final class Init {
    private Init() {}

    /** A zero tensor of the given shape. */
    public static Tensor zeros(DType dt, int... shape) { return Tensor.zeros(dt, shape); }

    /** A tensor filled with one value. */
    public static Tensor full(DType dt, double v, int... shape) { return Tensor.full(dt, v, shape); }
}
