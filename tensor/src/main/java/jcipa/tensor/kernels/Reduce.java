package jcipa.tensor.kernels;

/** TEMPORARY: replaced by the dense branch's Reduce. out[o,i] = Σ_k x[off + (o·n + k)·inner + i]. */
public final class Reduce {
    private Reduce() {}
    public static void sumAxis(float[] x, int off, int outer, int n, int inner, float[] out) {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                float acc = 0f;
                for (int k = 0; k < n; k++) acc += x[off + (o * n + k) * inner + i];
                out[o * inner + i] = acc;
            }
    }
}
