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
 * The channel-aware VSS block of the decoder (official {@code CVSSDecoderBlock}), on channels-last
 * input u (B, H, W, C):
 * <pre>
 *   x = u·scale1 + dropPath(SS2D(LN1(u)))
 *   y = convBlk(LN2(x)) + x·scale2        (convBlk on NCHW, {@link ChannelAttentionBlock})
 * </pre>
 * returned as (B, H, W, C). scale1, scale2 are per-channel vectors (C), initially 1. Both layer
 * norms use eps 1e-5 (the decoder passes nn.LayerNorm; the block's own default would be 1e-6).
 * Drop-path acts on the SS2D branch only. State order: scale1, scale2, norm1, op, conv_blk, norm2.
 */
public final class CvssDecoderBlock extends Module implements Replayable {
    /** SS2D settings the decoder uses: d_state 4, depthwise 3×3 conv, expansion 2. */
    public static final int D_STATE = 4, D_CONV = 3;
    public static final double SSM_RATIO = 2.0;

    public final int dim;
    public final double dropPath;
    private final Tensor scale1, scale2;
    private final LayerNormLayer norm1, norm2;
    private final SS2D op;
    private final ChannelAttentionBlock convBlk;

    public CvssDecoderBlock(int dim, double dropPath, DType dt) {
        if (dim < 1) throw new IllegalArgumentException("CvssDecoderBlock: dim must be positive, got " + dim);
        if (!(dropPath >= 0 && dropPath < 1)) throw new IllegalArgumentException("CvssDecoderBlock: drop-path rate must be in [0, 1), got " + dropPath);
        this.dim = dim;
        this.dropPath = dropPath;
        this.scale1 = parameter("scale1", Tensor.ones(dt, dim));
        this.scale2 = parameter("scale2", Tensor.ones(dt, dim));
        this.norm1 = child("norm1", new LayerNormLayer(MambaDecoder.LAYER_NORM_EPS, dt, dim));
        this.op = child("op", new SS2D(dim, D_STATE, D_CONV, SSM_RATIO, dt));
        this.convBlk = child("conv_blk", new ChannelAttentionBlock(dim, dt));
        this.norm2 = child("norm2", new LayerNormLayer(MambaDecoder.LAYER_NORM_EPS, dt, dim));
    }

    /** Evaluation, or training with drop path off ({@link #dropPathEnabled}) or at rate 0. */
    public Tensor forward(Tensor u) { return forward(u, null); }

    /** u (B, H, W, dim) → same shape; {@code rng} draws the drop-path mask in training (needed when the rate is positive). */
    public Tensor forward(Tensor u, SplittableRandom rng) {
        ChannelsLast.check("CvssDecoderBlock", u, dim);
        Tensor ssm = checkpointingActive()
                ? Checkpoint.apply("CvssDecoderBlock", t -> op.forward(norm1.forward(t)), u, branchParameters())
                : InPlace.normThen(u, norm1::forward, op::forward);
        if (dropPathActive() && dropPath > 0) {
            if (rng == null) throw new IllegalStateException("CvssDecoderBlock: training with drop-path rate " + dropPath + " needs a random generator (or dropPathEnabled(false))");
            ssm = DropPath.apply(ssm, dropPath, true, rng);
        }
        // u·scale1 + ssm, at inference added into the branch's own output (the same products and sums)
        Tensor x = InPlace.allowed(ssm) ? Pointwise.addProductInPlace(ssm, u, scale1) : u.mul(scale1).add(ssm);
        Tensor normed = norm2.forward(x), nchw = ChannelsLast.toNchw(normed);
        InPlace.recycleApart(normed, x, nchw);
        Tensor convNchw = convBlk.forward(nchw);
        InPlace.recycleApart(nchw, convNchw);
        Tensor conv = ChannelsLast.fromNchw(convNchw);
        InPlace.recycleApart(convNchw, conv);
        // the official adds in NCHW: the same sums, one copy fewer
        Tensor y = InPlace.allowed(conv) ? Pointwise.addProductInPlace(conv, x, scale2) : conv.add(x.mul(scale2));
        InPlace.recycleApart(x, u, y);
        Trace.io(this, List.of(u), List.of(y));
        return y;
    }

    /** The parameters of norm1 and op, for {@link Checkpoint}. */
    private List<Tensor> branchParameters() {
        List<Tensor> p = new java.util.ArrayList<>(norm1.namedParameters().values());
        p.addAll(op.namedParameters().values());
        return p;
    }

    /** Golden-capture replay: inputs and outputs in the order the official module takes and returns them. */
    @Override
    public List<Tensor> replay(List<Tensor> in) {
        return List.of(forward(in.get(0)));
    }
}
