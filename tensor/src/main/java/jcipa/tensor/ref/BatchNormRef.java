package jcipa.tensor.ref;

/**
 * Float64 reference of {@code BatchNorm} (BatchNorm2d on NCHW, hw = H·W). Per channel over its
 * m = N·H·W values: train mode normalises with μ = mean(x) and the biased σ² = mean((x − μ)²),
 * r = 1/sqrt(σ² + eps), y = (x − μ)·r·w + b, and updates running = (1 − momentum)·running +
 * momentum·stat with the unbiased variance σ²·m/(m − 1); eval mode normalises with the running
 * statistics. Weight and bias are optional (w = 1, b = 0 when null).
 */
public final class BatchNormRef {
    private BatchNormRef() {}

    /** Train-mode forward; mean, rstd (c) receive the batch μ and r when not null; running stats (c) are updated when not null. */
    public static void forwardTrain(double[] x, double[] weight, double[] bias, double[] y, double[] mean, double[] rstd,
                                    double[] runningMean, double[] runningVar, int n, int c, int hw, double eps, double momentum) {
        check(x, y, n, c, hw);
        if ((long) n * hw < 2) throw new IllegalArgumentException("BatchNormRef.forwardTrain: needs more than 1 value per channel");
        double m = (double) n * hw;
        for (int ch = 0; ch < c; ch++) {
            double mu = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < hw; j++) mu += x[at(i, ch, j, c, hw)];
            mu /= m;
            double var = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < hw; j++) var += sq(x[at(i, ch, j, c, hw)] - mu);
            var /= m;
            double r = 1.0 / Math.sqrt(var + eps);
            if (mean != null) mean[ch] = mu;
            if (rstd != null) rstd[ch] = r;
            if (runningMean != null) runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mu;
            if (runningVar != null) runningVar[ch] = (1 - momentum) * runningVar[ch] + momentum * var * m / (m - 1);
            affine(x, mu, r, weight, bias, y, n, c, hw, ch);
        }
    }

    /** Eval-mode forward with the running statistics. */
    public static void forwardEval(double[] x, double[] weight, double[] bias, double[] runningMean, double[] runningVar, double[] y,
                                   int n, int c, int hw, double eps) {
        check(x, y, n, c, hw);
        for (int ch = 0; ch < c; ch++) affine(x, runningMean[ch], 1.0 / Math.sqrt(runningVar[ch] + eps), weight, bias, y, n, c, hw, ch);
    }

    /**
     * Train-mode backward through the batch statistics, per channel with x̂ = (x − μ)·r:
     * db = Σ dy, dw = Σ dy·x̂, dx = w·r·(dy − mean(dy) − x̂·mean(dy·x̂)). Null outputs are skipped.
     */
    public static void backwardTrain(double[] x, double[] weight, double[] mean, double[] rstd, double[] dy,
                                     double[] dx, double[] dWeight, double[] dBias, int n, int c, int hw) {
        check(x, dy, n, c, hw);
        double m = (double) n * hw;
        for (int ch = 0; ch < c; ch++) {
            double mu = mean[ch], r = rstd[ch], sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int k = at(i, ch, j, c, hw);
                    sumDy += dy[k];
                    sumDyXhat += dy[k] * (x[k] - mu) * r;
                }
            }
            if (dBias != null) dBias[ch] = sumDy;
            if (dWeight != null) dWeight[ch] = sumDyXhat;
            if (dx == null) continue;
            double w = weight == null ? 1 : weight[ch];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int k = at(i, ch, j, c, hw);
                    double xh = (x[k] - mu) * r;
                    dx[k] = w * r * (dy[k] - sumDy / m - xh * sumDyXhat / m);
                }
            }
        }
    }

    /** Eval-mode backward (running statistics constant): dx = dy·w·r, dw = Σ dy·x̂, db = Σ dy. */
    public static void backwardEval(double[] x, double[] weight, double[] runningMean, double[] runningVar, double eps, double[] dy,
                                    double[] dx, double[] dWeight, double[] dBias, int n, int c, int hw) {
        check(x, dy, n, c, hw);
        for (int ch = 0; ch < c; ch++) {
            double mu = runningMean[ch], r = 1.0 / Math.sqrt(runningVar[ch] + eps), w = weight == null ? 1 : weight[ch];
            double sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int k = at(i, ch, j, c, hw);
                    sumDy += dy[k];
                    sumDyXhat += dy[k] * (x[k] - mu) * r;
                    if (dx != null) dx[k] = dy[k] * w * r;
                }
            }
            if (dBias != null) dBias[ch] = sumDy;
            if (dWeight != null) dWeight[ch] = sumDyXhat;
        }
    }

    private static void affine(double[] x, double mu, double r, double[] weight, double[] bias, double[] y, int n, int c, int hw, int ch) {
        double w = weight == null ? 1 : weight[ch], b = bias == null ? 0 : bias[ch];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < hw; j++) {
                int k = at(i, ch, j, c, hw);
                y[k] = (x[k] - mu) * r * w + b;
            }
        }
    }

    private static int at(int i, int ch, int j, int c, int hw) {
        return (i * c + ch) * hw + j;
    }

    private static double sq(double v) {
        return v * v;
    }

    private static void check(double[] x, double[] y, int n, int c, int hw) {
        if (n < 1 || c < 1 || hw < 1) throw new IllegalArgumentException("BatchNormRef: dimensions must be positive: n=" + n + " c=" + c + " hw=" + hw);
        long size = (long) n * c * hw;
        if (x.length != size || y.length != size)
            throw new IllegalArgumentException("BatchNormRef: array lengths " + x.length + "/" + y.length + " != n·c·hw = " + size);
    }
}
