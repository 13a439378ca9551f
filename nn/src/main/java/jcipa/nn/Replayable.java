package jcipa.nn;

import java.util.List;

import jcipa.tensor.Tensor;

/**
 * A module that can be called with the inputs a golden file captured for it ({@code in0, in1, ...})
 * and returns its outputs ({@code out0, out1, ...}) in the same order, so a verifier can check each
 * module on its own, fed its golden inputs.
 */
public interface Replayable {
    List<Tensor> replay(List<Tensor> inputs);
}
