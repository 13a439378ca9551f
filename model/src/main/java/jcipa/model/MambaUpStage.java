package jcipa.model;

import java.util.SplittableRandom;

import jcipa.nn.Module;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * One decoder stage {@code layers_up.k}, k ≥ 1 (official {@code Mamba_up}): CVSS decoder blocks
 * ({@code blocks.j}) at C channels, then, except in the last stage, an {@link UpsampleExpand}
 * ({@code upsample}) to (2H, 2W, C/2). The skip connection is added by the caller before this
 * stage runs. Input and output channels-last.
 */
public final class MambaUpStage extends Module {
    public final int dim;
    private final ModuleSlots<CvssDecoderBlock> blocks;
    private final UpsampleExpand upsample;

    /** dropPaths: one rate per block (their count is the depth). */
    public MambaUpStage(int dim, double[] dropPaths, boolean upsample, SplittableRandom rng, DType dt) {
        if (dropPaths.length < 1) throw new IllegalArgumentException("MambaUpStage: depth must be positive");
        this.dim = dim;
        this.blocks = child("blocks", new ModuleSlots<>());
        for (double p : dropPaths) blocks.add(new CvssDecoderBlock(dim, p, rng, dt));
        this.upsample = upsample ? child("upsample", new UpsampleExpand(dim, dt)) : null;
    }

    /** x (B, H, W, dim) → (B, H, W, dim), or (B, 2H, 2W, dim/2) with the up-step. */
    public Tensor forward(Tensor x) {
        for (CvssDecoderBlock b : blocks.modules()) x = b.forward(x);
        return upsample == null ? x : upsample.forward(x);
    }

    /** Block j. */
    public CvssDecoderBlock block(int j) { return blocks.get(j); }

    public int depth() { return blocks.size(); }

    /** The closing up-step, or null in the last stage. */
    public UpsampleExpand upsample() { return upsample; }
}
