package jcipa.tensor.ops;

import java.util.List;
import java.util.function.UnaryOperator;

import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;

/**
 * Activation checkpointing: y = f(x) without keeping f's intermediate tensors for the backward.
 *
 * <p>Forward: f runs with recording off; the graph keeps only x and y. Backward: f runs again from x, this time
 * recorded, and dL/dy is backpropagated through that copy: dL/dx is returned, and the gradients of the
 * parameters f uses are added to them as in any backward. f must be deterministic and free of side effects (no
 * random draws, no running statistics): it then recomputes the same values, so every gradient has the same bits as
 * without checkpointing. Memory: the activations of one f at a time instead of all of them; cost: f's forward once
 * more.
 */
public final class Checkpoint {
    private Checkpoint() {}

    private static final java.util.concurrent.atomic.AtomicLong RECOMPUTED = new java.util.concurrent.atomic.AtomicLong();

    /** How many checkpointed forwards have been run again by backward passes in this process (a diagnostic). */
    public static long recomputations() { return RECOMPUTED.get(); }

    /** y = f(x); {@code parameters} are those f reads (they make the node record even when x needs no gradient). */
    public static Tensor apply(String name, UnaryOperator<Tensor> f, Tensor x, List<Tensor> parameters) {
        if (!Autograd.isEnabled()) return f.apply(x);
        Tensor y = Autograd.noGrad(() -> f.apply(x));
        Tensor[] inputs = new Tensor[1 + parameters.size()];
        inputs[0] = x;
        for (int i = 0; i < parameters.size(); i++) inputs[1 + i] = parameters.get(i);
        return Autograd.record("checkpoint " + name, y, g -> {
            RECOMPUTED.incrementAndGet();
            Tensor xAgain = x.detach().requiresGrad(x.requiresGrad());
            try (Autograd.Scope s = Autograd.enableGrad()) {
                Tensor yAgain = f.apply(xAgain);
                if (yAgain.requiresGrad()) yAgain.backward(g);
            }
            Tensor[] grads = new Tensor[inputs.length];          // parameters: already accumulated by the backward above
            grads[0] = x.requiresGrad() ? xAgain.grad() : null;
            return grads;
        }, inputs);
    }
}
