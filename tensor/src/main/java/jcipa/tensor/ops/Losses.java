package jcipa.tensor.ops;

import java.util.Arrays;

import jcipa.tensor.Autograd;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.math.FMath;

/** Loss functions. */
public final class Losses {
    private Losses() {}

    /**
     * Binary cross-entropy on logits, averaged over all elements (PyTorch's
     * {@code BCEWithLogitsLoss(reduction="mean")}):
     * ℓ_i = max(x_i, 0) − x_i·t_i + log(1 + e^{−|x_i|}), loss = (1/n) Σ ℓ_i — the stable form of
     * −[t log σ(x) + (1−t) log(1−σ(x))].
     * Backward: ∂loss/∂x_i = (σ(x_i) − t_i)/n, ∂loss/∂t_i = −x_i/n.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target) {
        String op = "bceWithLogits";
        if (!Arrays.equals(logits.shape(), target.shape()))
            throw new IllegalArgumentException(op + ": logits " + Shape.str(logits.shape()) + " and target " + Shape.str(target.shape()) + " differ in shape");
        if (logits.dtype() != target.dtype())
            throw new IllegalArgumentException(op + ": dtypes " + logits.dtype() + " and " + target.dtype() + " differ");
        int n = logits.numel();
        if (n == 0) throw new IllegalArgumentException(op + ": empty input " + Shape.str(logits.shape()));
        Tensor perElement;
        if (logits.dtype() == DType.F32) {
            float[] x = logits.floats(), t = target.floats(), l = new float[n];
            for (int i = 0; i < n; i++) {
                float xi = x[i];
                l[i] = Math.max(xi, 0f) - xi * t[i] + FMath.log1p(FMath.exp(-Math.abs(xi)));
            }
            perElement = Tensor.of(l, n);
        } else {
            double[] x = logits.doubles(), t = target.doubles(), l = new double[n];
            for (int i = 0; i < n; i++) {
                double xi = x[i];
                l[i] = Math.max(xi, 0) - xi * t[i] + StrictMath.log1p(StrictMath.exp(-Math.abs(xi)));
            }
            perElement = Tensor.of(l, n);
        }
        Tensor loss = Reductions.sumKeep(perElement, new boolean[] {true}).reshape().mul(1.0 / n);
        loss = NanCheck.check(op, loss.detach(), logits, target);
        return Autograd.record(op, loss, g -> {
            Tensor scale = g.mul(1.0 / n);
            return new Tensor[] {
                Pointwise.sigmoid(logits).sub(target).mul(scale),
                target.requiresGrad() ? logits.neg().mul(scale) : null};
        }, logits, target);
    }

    /**
     * The official training loss ({@code train_utils/loss.py} as {@code train_and_eval.criterion}
     * calls it): BCE on logits averaged over all pixels, plus the soft Dice loss
     * 1 − mean_i[(2·Σ t·p + 1) / (Σ t + Σ p + 1)] with p = σ(logits) and the sums taken per image i
     * (over channels and pixels). (The official call passes {@code reduce='none'}, a legacy flag
     * that PyTorch reads as "reduce", so the BCE term is the mean.)
     */
    public static Tensor diceBce(Tensor logits, Tensor target) {
        Tensor bce = bceWithLogits(logits, target);
        int b = logits.size(0);
        Tensor p = Pointwise.sigmoid(logits).reshape(b, -1), t = target.reshape(b, -1);
        Tensor intersection = p.mul(t).sum(1, false);
        Tensor dice = intersection.mul(2.0).add(1.0).div(t.sum(1, false).add(p.sum(1, false)).add(1.0));
        return bce.add(1.0).sub(dice.mean());
    }
}
