package jcipa.nn;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Norms;
import jcipa.tensor.ops.Reductions;

/**
 * nn.BatchNorm2d: state {@code weight}, {@code bias}, {@code running_mean}, {@code running_var},
 * {@code num_batches_tracked} (int64). Training uses batch statistics and updates the running ones.
 */
public final class BatchNorm2dLayer extends Module {

    /**
     * How training updates the running statistics. {@link #PYTORCH} is nn.BatchNorm2d's rule and the
     * default; the others are deliberate deviations for mutation tests and ablations.
     */
    public enum RunningStats {
        /** running = (1 − momentum)·running + momentum·stat, with the unbiased batch variance (PyTorch). */
        PYTORCH,
        /** The same update with the biased batch variance Σ(x − μ)²/m (a known porting mistake). */
        BIASED_VARIANCE,
        /** No update: the running statistics and num_batches_tracked keep their values. */
        FROZEN
    }

    private final double eps, momentum;
    private final Tensor weight, bias;
    private final StateValue.Floats runningMean, runningVar;
    private final StateValue.Int64 batchesTracked;
    private RunningStats runningStats = RunningStats.PYTORCH;

    public BatchNorm2dLayer(int channels, double eps, double momentum, DType dt) {
        this.eps = eps;
        this.momentum = momentum;
        this.weight = parameter("weight", Init.full(dt, 1.0, channels));
        this.bias = parameter("bias", Init.zeros(dt, channels));
        this.runningMean = buffer("running_mean", Init.zeros(dt, channels));
        this.runningVar = buffer("running_var", Init.full(dt, 1.0, channels));
        this.batchesTracked = intBuffer("num_batches_tracked", 0L);
    }

    /** Chooses the running-statistics update of training (default {@link RunningStats#PYTORCH}). */
    public BatchNorm2dLayer runningStats(RunningStats rule) {
        this.runningStats = java.util.Objects.requireNonNull(rule, "rule");
        return this;
    }

    public RunningStats runningStats() { return runningStats; }

    public Tensor forward(Tensor x) {
        if (!isTraining() || runningStats == RunningStats.PYTORCH) {
            if (isTraining()) batchesTracked.values()[0]++;
            return Norms.batchNorm2d(x, weight, bias, runningMean.tensor(), runningVar.tensor(), isTraining(), momentum, eps);
        }
        Tensor y = Norms.batchNorm2d(x, weight, bias, null, null, true, momentum, eps);   // batch statistics, no update
        if (runningStats == RunningStats.BIASED_VARIANCE) {
            batchesTracked.values()[0]++;
            updateWithBiasedVariance(x);
        }
        return y;
    }

    /** running = (1 − m)·running + m·stat with stat = μ and Σ(x − μ)²/m over (N, H, W), in float64. */
    private void updateWithBiasedVariance(Tensor x) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            int[] dims = {0, 2, 3};
            Tensor x64 = x.detach().to(DType.F64);
            Tensor mu = Reductions.mean(x64, dims, true);
            double[] mean = Reductions.mean(x64, dims, false).toDoubleArray();
            double[] var = Reductions.mean(x64.sub(mu).square(), dims, false).toDoubleArray();
            double[] rm = runningMean.tensor().toDoubleArray(), rv = runningVar.tensor().toDoubleArray();
            for (int c = 0; c < rm.length; c++) {
                rm[c] = (1 - momentum) * rm[c] + momentum * mean[c];
                rv[c] = (1 - momentum) * rv[c] + momentum * var[c];
            }
            runningMean.set(rm);
            runningVar.set(rv);
        }
    }
}
