package jcipa.tensor.ref;

/**
 * Float64 reference of {@code LayerNorm} over the last dimension of (rows, cols):
 * μ = mean(x), σ² = mean((x − μ)²), r = 1/sqrt(σ² + eps), x̂ = (x − μ)·r, y = x̂·w + b.
 * Weight and bias are optional (w = 1, b = 0 when null).
 */
public final class LayerNormRef {
    private LayerNormRef() {}

    /** Forward; mean and rstd (rows) receive μ and r when not null. */
    public static void forward(double[] x, double[] weight, double[] bias, double[] y, double[] mean, double[] rstd,
                               int rows, int cols, double eps) {
        check(x, y, rows, cols);
        for (int row = 0; row < rows; row++) {
            int o = row * cols;
            double mu = 0;
            for (int j = 0; j < cols; j++) mu += x[o + j];
            mu /= cols;
            double var = 0;
            for (int j = 0; j < cols; j++) var += (x[o + j] - mu) * (x[o + j] - mu);
            var /= cols;
            double r = 1.0 / Math.sqrt(var + eps);
            if (mean != null) mean[row] = mu;
            if (rstd != null) rstd[row] = r;
            for (int j = 0; j < cols; j++) {
                double xh = (x[o + j] - mu) * r;
                y[o + j] = xh * (weight == null ? 1 : weight[j]) + (bias == null ? 0 : bias[j]);
            }
        }
    }

    /**
     * Backward from the forward's mean and rstd. With g = dy·w and x̂ = (x − μ)·r, per row:
     * dx = r·(g − mean(g) − x̂·mean(g·x̂)); over rows: dw = Σ dy·x̂, db = Σ dy. Null outputs are skipped.
     */
    public static void backward(double[] x, double[] weight, double[] mean, double[] rstd, double[] dy,
                                double[] dx, double[] dWeight, double[] dBias, int rows, int cols) {
        check(x, dy, rows, cols);
        if (dWeight != null) java.util.Arrays.fill(dWeight, 0);
        if (dBias != null) java.util.Arrays.fill(dBias, 0);
        for (int row = 0; row < rows; row++) {
            int o = row * cols;
            double mu = mean[row], r = rstd[row];
            double meanG = 0, meanGx = 0;
            for (int j = 0; j < cols; j++) {
                double g = dy[o + j] * (weight == null ? 1 : weight[j]);
                meanG += g;
                meanGx += g * (x[o + j] - mu) * r;
            }
            meanG /= cols;
            meanGx /= cols;
            for (int j = 0; j < cols; j++) {
                double xh = (x[o + j] - mu) * r;
                double g = dy[o + j] * (weight == null ? 1 : weight[j]);
                if (dx != null) dx[o + j] = r * (g - meanG - xh * meanGx);
                if (dWeight != null) dWeight[j] += dy[o + j] * xh;
                if (dBias != null) dBias[j] += dy[o + j];
            }
        }
    }

    private static void check(double[] x, double[] y, int rows, int cols) {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("LayerNormRef: dimensions must be positive: rows=" + rows + " cols=" + cols);
        if (x.length != (long) rows * cols || y.length != (long) rows * cols)
            throw new IllegalArgumentException("LayerNormRef: x/y lengths " + x.length + "/" + y.length + " != rows·cols for rows=" + rows + " cols=" + cols);
    }
}
