package jcipa.model;

import java.util.List;

import jcipa.nn.LayerNormLayer;
import jcipa.nn.LinearLayer;
import jcipa.nn.Module;
import jcipa.nn.Replayable;
import jcipa.nn.Trace;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Joins;
import jcipa.tensor.ops.Pointwise;

/**
 * CIPA's channel rectification module (official {@code ChannelRectifyModule}, state prefix
 * {@code backbone.cross_mamba.i}) on a CT and a PET map (B, C, H, W), H·W = {@code hw}:
 * <pre>
 *   X   = concat(ct, pet on channels) viewed (B, 2C, H·W)        each channel's map is one token
 *   w   = sigmoid(mlp.5(mlp.4(mlp.3(GELU(mlp.1(mlp.0(X)))))))   (B, 2C, 1)
 *         mlp.0 LayerNorm(H·W), mlp.1 Linear(H·W → 96), mlp.3 {@link SS1D}(96) scanning over the
 *         2C channel tokens, mlp.4 LayerNorm(96), mlp.5 Linear(96 → 1)
 *   out = (ct + w[:, :C]·ct,  pet + w[:, C:]·pet)                  per-channel residual rescaling
 * </pre>
 * The official module fixes H·W for 512×512 inputs; here it is the constructor's {@code hw}.
 * State dict: channel_weights.mlp.{0,1,3,4,5}.*.
 */
public final class ChannelRectification extends Module implements Replayable {
    /** Width of the channel-token embedding (fixed at 96 in the official code). */
    public static final int TOKEN_WIDTH = 96;

    public final int dim, hw;
    private final ChannelWeights channelWeights;

    public ChannelRectification(int dim, int hw, DType dt) {
        if (dim < 1 || hw < 1) throw new IllegalArgumentException("ChannelRectification: dim " + dim + " and H·W " + hw + " must be positive");
        this.dim = dim;
        this.hw = hw;
        this.channelWeights = child("channel_weights", new ChannelWeights(hw, dt));
    }

    /** The rectified pair (ct', pet'). */
    public record Pair(Tensor ct, Tensor pet) {}

    public Pair forward(Tensor ct, Tensor pet) {
        int[] s = ct.shape();
        if (s.length != 4 || s[1] != dim || s[2] * s[3] != hw || !java.util.Arrays.equals(s, pet.shape()))
            throw new IllegalArgumentException("ChannelRectification: expected ct and pet (B, " + dim + ", H, W) with H·W = " + hw
                    + ", got " + Shape.str(s) + " and " + Shape.str(pet.shape()));
        int b = s[0];
        Tensor tokens = Joins.concat(1, ct, pet).reshape(b, 2 * dim, hw);
        Tensor w = channelWeights.mlp.forward(tokens).reshape(b, 2, dim, 1, 1);
        Tensor wCt = w.slice(1, 0, 1).reshape(b, dim, 1, 1);
        Tensor wPet = w.slice(1, 1, 2).reshape(b, dim, 1, 1);
        Pair out = new Pair(plusScaled(ct, wCt), plusScaled(pet, wPet));
        Trace.io(this, List.of(ct, pet), List.of(out.ct(), out.pet()));
        return out;
    }

    /** x + w·x, the sum added into the fresh product at inference (the same sums). */
    private static Tensor plusScaled(Tensor x, Tensor w) {
        Tensor scaled = w.mul(x);
        return InPlace.allowed(scaled) ? Pointwise.addInPlace(scaled, x) : x.add(scaled);
    }

    /** Official {@code ChannelWeights}: only its {@code mlp} holds state. */
    static final class ChannelWeights extends Module {
        final Mlp mlp;

        ChannelWeights(int hw, DType dt) { this.mlp = child("mlp", new Mlp(hw, dt)); }
    }

    /** The official Sequential: 0 LayerNorm, 1 Linear, 2 GELU, 3 SS1D, 4 LayerNorm, 5 Linear, 6 Sigmoid. */
    static final class Mlp extends Module {
        private final LayerNormLayer norm0, norm4;
        private final LinearLayer linear1, linear5;
        private final SS1D ssm3;

        Mlp(int hw, DType dt) {
            this.norm0 = child("0", new LayerNormLayer(1e-5, dt, hw));
            this.linear1 = child("1", new LinearLayer(hw, TOKEN_WIDTH, true, dt));
            this.ssm3 = child("3", new SS1D(TOKEN_WIDTH, 16, dt));
            this.norm4 = child("4", new LayerNormLayer(1e-5, dt, TOKEN_WIDTH));
            this.linear5 = child("5", new LinearLayer(TOKEN_WIDTH, 1, true, dt));
        }

        /** tokens (B, 2C, H·W) → channel weights (B, 2C, 1) in (0, 1). */
        Tensor forward(Tensor tokens) {
            Tensor t = linear1.forward(norm0.forward(tokens)).gelu();
            return linear5.forward(norm4.forward(ssm3.forward(t))).sigmoid();
        }
    }

    /** Golden-capture replay: inputs and outputs in the order the official module takes and returns them. */
    @Override
    public List<Tensor> replay(List<Tensor> in) {
        Pair p = forward(in.get(0), in.get(1));
        return List.of(p.ct(), p.pet());
    }
}
