package jcipa.model;

import java.util.List;
import java.util.SplittableRandom;

import jcipa.nn.Conv2dLayer;
import jcipa.nn.LayerNormLayer;
import jcipa.nn.Module;
import jcipa.nn.ModuleList;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Interpolate;
import jcipa.tensor.ops.MacCounter;
import jcipa.tensor.ops.Pointwise;

/**
 * CIPA's decoder ({@code decode_head}, official {@code MambaDecoder} without deep supervision),
 * embed dim C₀, stage s channels C_s = C₀·2^s. From the fused encoder features f₀..f₃ (NCHW):
 * <pre>
 *   y = layers_up.0(f₃ channels-last)                         PatchExpand, C₃ → C₂ at 2× size
 *   for k = 1..3, s = 3 − k:
 *       y = layers_up.k(resize(y, size of f_s) + f_s)        CVSS blocks; ×2 up-step for k &lt; 3
 *   logits = resize(output(up(norm_up(y))), outH × outW)     NCHW, one class
 * </pre>
 * Stage k has depth decoderDepths[3 − k]; decoderDepths[3] only lengthens the drop-path schedule
 * linspace(0, rate, Σ depths), of which stage k takes the entries Σ depths[:s] .. Σ depths[:s+1].
 * Resizes are bilinear with align_corners False (the identity when sizes agree). All layer norms
 * use eps 1e-5. State: {@code layers_up.0..3}, {@code norm_up}, {@code up}, {@code output}.
 */
public final class MambaDecoder extends Module {
    /** nn.LayerNorm's default eps, used by every norm of the decoder. */
    public static final double LAYER_NORM_EPS = 1e-5;
    /** The official default drop-path rate of the decoder (CIPA does not override it). */
    public static final double DEFAULT_DROP_PATH_RATE = 0.1;
    public static final int NUM_CLASSES = 1;
    private static final int STAGES = 4;

    public final int embedDim;
    private final int[] depths;
    private final PatchExpand first;
    private final MambaUpStage[] stages = new MambaUpStage[STAGES];
    private final LayerNormLayer normUp;
    private final FinalUpsampleX4 up;
    private final Conv2dLayer output;

    /** The official configuration: drop-path rate 0.1. */
    public MambaDecoder(int embedDim, int[] decoderDepths, DType dt) {
        this(embedDim, decoderDepths, dt, DEFAULT_DROP_PATH_RATE);
    }

    /** dropPathRate: the last value of the linspace schedule (0 turns drop-path off). */
    public MambaDecoder(int embedDim, int[] decoderDepths, DType dt, double dropPathRate) {
        if (embedDim < 1) throw new IllegalArgumentException("MambaDecoder: embed dim must be positive, got " + embedDim);
        if (decoderDepths.length != STAGES) throw new IllegalArgumentException("MambaDecoder: need " + STAGES + " decoder depths, got " + decoderDepths.length);
        for (int d : decoderDepths) if (d < 1) throw new IllegalArgumentException("MambaDecoder: decoder depths must be positive, got " + Shape.str(decoderDepths));
        this.embedDim = embedDim;
        this.depths = decoderDepths.clone();
        double[] rates = dropPathSchedule(dropPathRate, sum(depths, STAGES));

        ModuleList<Module> layersUp = child("layers_up", new ModuleList<>());
        this.first = new PatchExpand(channels(3), dt);
        layersUp.add(first);
        for (int k = 1; k < STAGES; k++) {
            int s = STAGES - 1 - k;
            double[] stageRates = java.util.Arrays.copyOfRange(rates, sum(depths, s), sum(depths, s + 1));
            stages[k] = new MambaUpStage(channels(s), stageRates, k < STAGES - 1, dt);
            layersUp.add(stages[k]);
        }
        this.normUp = child("norm_up", new LayerNormLayer(LAYER_NORM_EPS, dt, embedDim));
        this.up = child("up", new FinalUpsampleX4(embedDim, dt));
        this.output = child("output", new Conv2dLayer(embedDim, NUM_CLASSES, 1, 1, 0, 1, false, dt));
    }

    /** Channels of encoder stage s. */
    public int channels(int s) { return embedDim << s; }

    /** Evaluation, or training without drop path. */
    public Tensor forward(List<Tensor> fused, int outH, int outW) { return forward(fused, outH, outW, null); }

    /**
     * fused: the four fused encoder features, stage s (B, C_s, H_s, W_s) NCHW; returns the logits
     * (B, 1, outH, outW). rng draws the drop-path masks in training (blocks in forward order).
     */
    public Tensor forward(List<Tensor> fused, int outH, int outW, SplittableRandom rng) {
        if (fused.size() != STAGES) throw new IllegalArgumentException("MambaDecoder: need " + STAGES + " fused features, got " + fused.size());
        for (int s = 0; s < STAGES; s++) {
            int[] sh = fused.get(s).shape();
            if (sh.length != 4 || sh[1] != channels(s))
                throw new IllegalArgumentException("MambaDecoder: fused feature " + s + " must be (B, " + channels(s) + ", H, W), got " + Shape.str(sh));
        }
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("MambaDecoder: output size " + outH + "x" + outW + " must be positive");
        Tensor y = first.forward(ChannelsLast.fromNchw(fused.get(3)));
        for (int k = 1; k < STAGES; k++) y = stages[k].forward(stageInput(y, fused.get(STAGES - 1 - k)), rng);
        Tensor logits = ChannelsLast.pointwiseConv(output, up.forward(normUp.forward(y)));
        if (logits.size(2) == outH && logits.size(3) == outW) {
            MacCounter.add(MacCounter.Op.UPSAMPLE_BILINEAR, MacCounter.bilinear(logits.numel())); // the official resize fvcore counts
            return logits;
        }
        return Interpolate.bilinear(logits, outH, outW);
    }

    /** The input of a CVSS stage: y (channels-last) resized to the skip's size, plus the skip (NCHW). */
    public static Tensor stageInput(Tensor y, Tensor skipNchw) {
        Tensor resized = ChannelsLast.resize(y, skipNchw.size(2), skipNchw.size(3)), skip = ChannelsLast.fromNchw(skipNchw);
        // at inference the sum goes into the skip's channels-last copy (never the caller's tensor itself)
        return InPlace.allowedCopyOf(skip, skipNchw) ? Pointwise.addInPlace(skip, resized) : resized.add(skip);
    }

    /** layers_up.0. */
    public PatchExpand patchExpand() { return first; }

    /** layers_up.k, k = 1..3. */
    public MambaUpStage stage(int k) {
        if (k < 1 || k >= STAGES) throw new IllegalArgumentException("MambaDecoder: stage index must be 1.." + (STAGES - 1) + ", got " + k);
        return stages[k];
    }

    public LayerNormLayer normUp() { return normUp; }

    public FinalUpsampleX4 finalUpsample() { return up; }

    /**
     * torch.linspace(0, max, n) in float32 as PyTorch's CPU kernel evaluates it (step = max/(n−1);
     * the first half counts up from 0, the second half down from max), each value widened to double.
     */
    static double[] dropPathSchedule(double max, int n) {
        double[] r = new double[n];
        if (n == 1) return r;
        float end = (float) max, step = end / (n - 1);
        for (int i = 0; i < n; i++) r[i] = i < n / 2 ? step * i : end - step * (n - 1 - i);
        return r;
    }

    private static int sum(int[] a, int upTo) {
        int t = 0;
        for (int i = 0; i < upTo; i++) t += a[i];
        return t;
    }
}
