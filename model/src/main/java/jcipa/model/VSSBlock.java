package jcipa.model;

import java.util.List;
import java.util.SplittableRandom;

import jcipa.nn.LayerNormLayer;
import jcipa.nn.Module;
import jcipa.nn.Replayable;
import jcipa.nn.Trace;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Checkpoint;
import jcipa.tensor.ops.DropPath;
import jcipa.tensor.ops.Pointwise;

/**
 * VMamba's block as CIPA configures it (mlp_ratio 0, so no MLP branch), channels-last:
 * {@code x + drop_path(op(norm(x)))} with {@code norm} LayerNorm(C, eps 1e-5) and {@code op} an
 * {@link SS2D}(C, d_state). State dict: norm.weight, norm.bias, op.*.
 */
public final class VSSBlock extends Module implements Replayable {
    public final double dropPath;
    private final LayerNormLayer norm;
    private final SS2D op;

    public VSSBlock(int dim, int dState, double dropPath, DType dt) {
        if (!(dropPath >= 0 && dropPath < 1)) throw new IllegalArgumentException("VSSBlock: drop-path rate must be in [0, 1), got " + dropPath);
        this.dropPath = dropPath;
        this.norm = child("norm", new LayerNormLayer(1e-5, dt, dim));
        this.op = child("op", new SS2D(dim, dState, dt));
    }

    /** Evaluation, or training with drop path off ({@link #dropPathEnabled}) or at rate 0. */
    public Tensor forward(Tensor x) { return forward(x, null); }

    /** x (B, H, W, C); {@code rng} draws the drop-path mask in training (needed when the rate is positive). */
    public Tensor forward(Tensor x, SplittableRandom rng) {
        Tensor branch = checkpointingActive()
                ? Checkpoint.apply("VSSBlock", t -> op.forward(norm.forward(t)), x, branchParameters())
                : InPlace.normThen(x, norm::forward, op::forward);
        if (dropPathActive() && dropPath > 0) {
            if (rng == null) throw new IllegalStateException("VSSBlock: training with drop-path rate " + dropPath + " needs a random generator (or dropPathEnabled(false))");
            branch = DropPath.apply(branch, dropPath, true, rng);
        }
        Tensor y = InPlace.allowed(branch) ? Pointwise.addInPlace(branch, x) : x.add(branch);
        Trace.io(this, List.of(x), List.of(y));
        return y;
    }

    /** The parameters of norm and op, for {@link Checkpoint}. */
    private List<Tensor> branchParameters() {
        List<Tensor> p = new java.util.ArrayList<>(norm.namedParameters().values());
        p.addAll(op.namedParameters().values());
        return p;
    }

    /** Golden-capture replay: inputs and outputs in the order the official module takes and returns them. */
    @Override
    public List<Tensor> replay(List<Tensor> in) {
        return List.of(forward(in.get(0)));
    }
}
