package jcipa.model;

import java.util.List;
import java.util.SplittableRandom;

import jcipa.nn.Module;
import jcipa.nn.ModuleList;
import jcipa.nn.Replayable;
import jcipa.nn.Trace;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * One decoder stage {@code layers_up.k}, k ≥ 1 (official {@code Mamba_up}): CVSS decoder blocks
 * ({@code blocks.j}) at C channels, then, except in the last stage, an {@link UpsampleExpand}
 * ({@code upsample}) to (2H, 2W, C/2). The skip connection is added by the caller before this
 * stage runs. Input and output channels-last.
 */
public final class MambaUpStage extends Module implements Replayable {
    public final int dim;
    private final ModuleList<CvssDecoderBlock> blocks;
    private final UpsampleExpand upsample;

    /** dropPaths: one rate per block (their count is the depth). */
    public MambaUpStage(int dim, double[] dropPaths, boolean upsample, DType dt) {
        if (dropPaths.length < 1) throw new IllegalArgumentException("MambaUpStage: depth must be positive");
        this.dim = dim;
        this.blocks = child("blocks", new ModuleList<>());
        for (double p : dropPaths) blocks.add(new CvssDecoderBlock(dim, p, dt));
        this.upsample = upsample ? child("upsample", new UpsampleExpand(dim, dt)) : null;
    }

    /** Evaluation, or training without drop path. */
    public Tensor forward(Tensor x) { return forward(x, null); }

    /** x (B, H, W, dim) → (B, H, W, dim), or (B, 2H, 2W, dim/2) with the up-step; rng: drop-path masks in training. */
    public Tensor forward(Tensor x, SplittableRandom rng) {
        Tensor in = x;
        x = InPlace.throughBlocks(in, blocks.items(), (b, t) -> b.forward(t, rng));
        Tensor y = upsample == null ? x : upsample.forward(x);
        InPlace.recycleApart(x, in, y);
        Trace.io(this, List.of(in), List.of(y));
        return y;
    }

    /** Block j. */
    public CvssDecoderBlock block(int j) { return blocks.get(j); }

    public int depth() { return blocks.size(); }

    /** The closing up-step, or null in the last stage. */
    public UpsampleExpand upsample() { return upsample; }

    /** Golden-capture replay: inputs and outputs in the order the official module takes and returns them. */
    @Override
    public List<Tensor> replay(List<Tensor> in) {
        return List.of(forward(in.get(0)));
    }
}
