package jcipa.model;

import java.util.List;

import jcipa.nn.Conv2dLayer;
import jcipa.nn.LayerNormLayer;
import jcipa.nn.LinearLayer;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.CrossScanOp;
import jcipa.tensor.ops.Joins;

/**
 * VMamba's 2-D selective scan (official {@code SS2D} with its {@code forward_corev2} path), on
 * channels-last maps x (B, H, W, C) → (B, H, W, C). With d_inner = ⌈expand·C⌉ (int), R = ⌈C/16⌉:
 * <pre>
 *   [x; z] = in_proj(x)                                   (no bias), each d_inner channels
 *   x      = SiLU(conv2d(x))                              depthwise 3×3 (d_conv), padding 1, bias, on NCHW
 *   xs     = CrossScan(x)                                 (B, 4, d_inner, H·W), see {@link CrossScanOp}
 *   ys     = the four selective scans of xs               see {@link DirectionalSsm}
 *   y      = out_norm(CrossMerge(ys)) · SiLU(z)           LayerNorm(d_inner), eps 1e-5, channels-last
 *   out    = out_proj(y)                                  (no bias); dropout 0
 * </pre>
 * Inference in float32 on the CPU stays channels-last: the depthwise conv reads its half of in_proj's
 * output in place, and CrossScan, the scans and CrossMerge are one op (same bits, no layout copies:
 * {@link DirectionalSsm#crossScanChannelsLast}).
 * With d_conv &lt; 2 (no conv), as the official code: SiLU is applied to both halves of in_proj's
 * output and the gate is z itself.
 *
 * <p>State dict (official order): x_proj_weight, dt_projs_weight, dt_projs_bias, A_logs, Ds,
 * in_proj.weight, conv2d.weight, conv2d.bias, out_norm.weight, out_norm.bias, out_proj.weight.
 */
public final class SS2D extends DirectionalSsm {
    public final int dModel;
    private final LinearLayer inProj, outProj;
    private final Conv2dLayer conv2d;
    private final LayerNormLayer outNorm;

    /** The official defaults: d_conv 3, expand 2. */
    public SS2D(int dModel, int dState, DType dt) { this(dModel, dState, 3, 2.0, dt); }

    public SS2D(int dModel, int dState, int dConv, double expand, DType dt) {
        super(4, innerWidth(dModel, expand), dState, (dModel + 15) / 16, dt);
        this.dModel = dModel;
        this.inProj = child("in_proj", new LinearLayer(dModel, 2 * dInner, false, dt));
        this.conv2d = dConv > 1 ? child("conv2d", new Conv2dLayer(dInner, dInner, dConv, 1, (dConv - 1) / 2, dInner, true, dt)) : null;
        this.outNorm = child("out_norm", new LayerNormLayer(1e-5, dt, dInner));
        this.outProj = child("out_proj", new LinearLayer(dInner, dModel, false, dt));
    }

    private static int innerWidth(int dModel, double expand) {
        if (dModel < 1 || !(expand > 0)) throw new IllegalArgumentException("SS2D: d_model " + dModel + " and expand " + expand + " must be positive");
        return (int) (expand * dModel);
    }

    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length != 4 || s[3] != dModel)
            throw new IllegalArgumentException("SS2D: expected x (B, H, W, " + dModel + "), got " + Shape.str(s));
        int b = s[0], h = s[1], w = s[2];
        if (fusedCrossScan(x) && conv2d != null && conv2d.isDepthwise3x3()) return forwardChannelsLastApart(x);
        if (fusedCrossScanWithGradient(x) && conv2d != null && conv2d.isDepthwise3x3()) return trainChannelsLast(x);
        Tensor xz = inProj.forward(x);
        if (fusedCrossScan(xz)) return forwardChannelsLast(xz);
        Tensor gate;
        Tensor xin;                                                                 // channels-first (B, D, H, W), or channels-last when fused
        boolean fused = fusedCrossScanWithGradient(xz);
        if (conv2d != null) {
            List<Tensor> halves = Joins.chunk(xz, 2, 3);
            xin = conv2d.forward(halves.get(0).permute(0, 3, 1, 2).contiguous()).silu();
            if (fused) xin = xin.permute(0, 2, 3, 1).contiguous();
            gate = halves.get(1).silu();
        } else {
            List<Tensor> halves = Joins.chunk(xz.silu(), 2, 3);
            xin = fused ? halves.get(0).contiguous() : halves.get(0).permute(0, 3, 1, 2).contiguous();
            gate = halves.get(1);
        }
        Tensor y;
        if (fused) {
            y = crossScanChannelsLast(xin);                                         // (B, H, W, D), its backward channels-last too
        } else {
            Tensor ys = scanDirections(CrossScanOp.crossScan(xin));                 // (B, 4, D, L)
            y = CrossScanOp.crossMerge(ys, h, w)                                    // (B, D, L)
                    .transpose(1, 2).reshape(b, h, w, dInner);
        }
        return outProj.forward(outNorm.forward(y).mul(gate));
    }

    /**
     * {@link #forward} with gradients recorded and a depthwise conv, channels-last throughout as at inference, through
     * ops that have backwards: in_proj's halves apart (so neither half's gradient is a slice of a 2·D-wide map),
     * SiLU(conv) and the scan core channels-last; the same forward bits as the op-by-op graph.
     */
    private Tensor trainChannelsLast(Tensor x) {
        Tensor xPart = inProj.forwardOutputs(x, 0, dInner), z = inProj.forwardOutputs(x, dInner, 2 * dInner);
        Tensor y = crossScanChannelsLast(conv2d.forwardChannelsLast(xPart, true));
        return outProj.forward(outNorm.forward(y).mul(z.silu()));
    }

    /**
     * {@link #forward} at inference with a depthwise conv, channels-last throughout: in_proj's two halves are
     * computed apart (the same bits as the halves of one product), so that the conv and the gate read dense
     * maps rather than every other half of a 2·D-wide one (which took the conv twice as long at stage 0).
     */
    private Tensor forwardChannelsLastApart(Tensor x) {
        Tensor xPart = inProj.forwardOutputs(x, 0, dInner), z = inProj.forwardOutputs(x, dInner, 2 * dInner);
        Tensor xin = conv2d.forwardChannelsLast(xPart, true);                                       // SiLU(conv(x)) in one pass
        InPlace.recycleApart(xPart, x, xin);
        return scanGateProject(xin, z, z);
    }

    /** The rest of {@link #forward} after in_proj at inference, channels-last throughout: the same bits, no layout copies. */
    private Tensor forwardChannelsLast(Tensor xz) {
        List<Tensor> halves = Joins.chunk(conv2d != null ? xz : xz.silu(), 2, 3);
        if (conv2d == null)                                                                          // the gate is already SiLU(z)
            return outProj.forward(outNorm.forward(crossScanChannelsLast(halves.get(0).contiguous())).mul(halves.get(1)));
        Tensor xin = conv2d.isDepthwise3x3() ? conv2d.forwardChannelsLast(halves.get(0), true)    // SiLU(conv(x)) in one pass
                : conv2d.forward(halves.get(0).permute(0, 3, 1, 2).contiguous()).silu().permute(0, 2, 3, 1).contiguous();
        return scanGateProject(xin, halves.get(1), xz);
    }

    /**
     * out_proj(out_norm(y)·SiLU(z)) with y the four scans of xin (B, H, W, D), giving back xin, y, the gated map
     * and {@code zStorage} (z itself, or the in_proj map z is half of) once nothing reads them.
     */
    private Tensor scanGateProject(Tensor xin, Tensor z, Tensor zStorage) {
        Tensor y = crossScanChannelsLast(xin);
        InPlace.recycleApart(xin, zStorage, y);
        Tensor gated = outNorm.forwardTimesSilu(y, z);                                              // out_norm(y)·SiLU(z) in one pass
        InPlace.recycleApart(y, gated);
        InPlace.recycleApart(zStorage, gated);
        Tensor out = outProj.forward(gated);
        InPlace.recycleApart(gated, out);
        return out;
    }
}
