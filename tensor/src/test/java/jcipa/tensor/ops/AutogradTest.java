package jcipa.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import jcipa.tensor.Autograd;
import jcipa.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AutogradTest {
    @Test
    void chainRuleOnASmallExpression() {
        // L = Σ (a·b + a)², dL/da = 2(ab + a)(b + 1), dL/db = 2(ab + a)a
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {-1, 0.5, 2}, 3).requiresGrad(true);
        Tensor u = a.mul(b).add(a);
        u.mul(u).sum().backward();
        double[] ga = new double[3], gb = new double[3];
        double[] av = {1, 2, 3}, bv = {-1, 0.5, 2};
        for (int i = 0; i < 3; i++) {
            double ui = av[i] * bv[i] + av[i];
            ga[i] = 2 * ui * (bv[i] + 1);
            gb[i] = 2 * ui * av[i];
        }
        assertArrayEquals(ga, a.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(gb, b.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        a.mul(3.0).sum().backward();
        a.mul(3.0).sum().backward();
        assertArrayEquals(new double[] {6, 6}, a.grad().toDoubleArray());
        a.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void aTensorUsedTwiceGetsBothContributions() {
        Tensor a = Tensor.of(new double[] {2}, 1).requiresGrad(true);
        a.mul(a).sum().backward();   // d(a²)/da = 2a = 4
        assertEquals(4.0, a.grad().item());
    }

    /**
     * The graph keeps only what a backward needs: the input of a sum (whose backward needs no values) is freed once
     * the forward drops it, while the input of a product is kept; the gradients are those of the chain rule.
     */
    @Test
    void anIntermediateThatNoBackwardNeedsIsNotKept() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor t = a.mul(2.0);                                  // its backward needs only the constant 2
        Tensor kept = a.exp();                                  // exp's backward keeps its output
        java.lang.ref.WeakReference<Tensor> tRef = new java.lang.ref.WeakReference<>(t);
        java.lang.ref.WeakReference<Tensor> keptRef = new java.lang.ref.WeakReference<>(kept);
        Tensor loss = t.add(1.0).add(kept).sum();               // add's backward needs neither input's values
        t = null;
        kept = null;
        for (int i = 0; i < 10 && tRef.get() != null; i++) System.gc();
        org.junit.jupiter.api.Assertions.assertNull(tRef.get(), "a·2 is still reachable from the graph");
        org.junit.jupiter.api.Assertions.assertNotNull(keptRef.get(), "exp's output must be kept for its backward");
        loss.backward();
        double[] g = a.grad().toDoubleArray();
        for (int i = 0; i < 3; i++) assertEquals(2 + Math.exp(i + 1), g[i], 1e-12);
    }

    /** A node's backward runs once and then lets go of what it kept; a second pass over the same graph is refused. */
    @Test
    void aBackwardFreesWhatItKeptAndRunsOnce() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor e = a.exp();
        java.lang.ref.WeakReference<Tensor> eRef = new java.lang.ref.WeakReference<>(e);
        Tensor loss = e.sum();
        e = null;
        loss.backward();
        for (int i = 0; i < 10 && eRef.get() != null; i++) System.gc();
        org.junit.jupiter.api.Assertions.assertNull(eRef.get(), "exp's output is still kept after its backward ran");
        var again = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, loss::backward);
        org.junit.jupiter.api.Assertions.assertTrue(again.getMessage().contains("already backpropagated"), again.getMessage());
    }

    @Test
    void noGradRecordsNothing() {
        Tensor a = Tensor.of(new double[] {1}, 1).requiresGrad(true);
        Tensor y;
        try (Autograd.Scope s = Autograd.noGrad()) {
            y = a.mul(2.0);
        }
        assertFalse(y.requiresGrad());
        assertNull(y.node());
        assertEquals(true, a.mul(2.0).requiresGrad());
    }

    @Test
    void broadcastGradientIsSummedBack() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor bias = Tensor.of(new double[] {0, 0, 0}, 3).requiresGrad(true);
        a.add(bias).mul(a).sum().backward();   // d/dbias = Σ_rows a
        assertArrayEquals(new double[] {5, 7, 9}, bias.grad().toDoubleArray(), 0);
    }
}
