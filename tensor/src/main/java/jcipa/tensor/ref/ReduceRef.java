package jcipa.tensor.ref;

/** TEMPORARY: replaced by the dense branch's ReduceRef. */
public final class ReduceRef {
    private ReduceRef() {}
    public static void sumAxis(double[] x, int off, int outer, int n, int inner, double[] out) {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++) {
                double acc = 0;
                for (int k = 0; k < n; k++) acc += x[off + (o * n + k) * inner + i];
                out[o * inner + i] = acc;
            }
    }
}
