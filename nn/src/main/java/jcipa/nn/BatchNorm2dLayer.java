package jcipa.nn;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Norms;

/**
 * nn.BatchNorm2d: state {@code weight}, {@code bias}, {@code running_mean}, {@code running_var},
 * {@code num_batches_tracked} (int64). Training uses batch statistics and updates the running ones.
 */
public final class BatchNorm2dLayer extends Module {
    private final double eps, momentum;
    private final Tensor weight, bias;
    private final StateValue.Floats runningMean, runningVar;
    private final StateValue.Int64 batchesTracked;

    public BatchNorm2dLayer(int channels, double eps, double momentum, DType dt) {
        this.eps = eps;
        this.momentum = momentum;
        this.weight = parameter("weight", Init.full(dt, 1.0, channels));
        this.bias = parameter("bias", Init.zeros(dt, channels));
        this.runningMean = buffer("running_mean", Init.zeros(dt, channels));
        this.runningVar = buffer("running_var", Init.full(dt, 1.0, channels));
        this.batchesTracked = intBuffer("num_batches_tracked", 0L);
    }

    public Tensor forward(Tensor x) {
        if (isTraining()) batchesTracked.values()[0]++;
        return Norms.batchNorm2d(x, weight, bias, runningMean.tensor(), runningVar.tensor(), isTraining(), momentum, eps);
    }
}
