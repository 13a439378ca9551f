package jcipa.model;

import java.util.SplittableRandom;

import jcipa.nn.Module;
import jcipa.nn.ModuleList;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * One stage of the VMamba encoder, official {@code layers.i} = Sequential(blocks, downsample):
 * {@code blocks.j} VSS blocks at width dim, then {@code downsample} ({@link PatchMerging2D} to
 * 2·dim, or none for the last stage, whose Identity has no state).
 */
public final class VssStage extends Module {
    private final ModuleList<VSSBlock> blocks;
    private final PatchMerging2D downsample;

    /** dropPaths[j] is block j's drop-path rate; {@code downsample} false for the last stage. */
    public VssStage(int dim, double[] dropPaths, int dState, boolean downsample, DType dt) {
        this.blocks = child("blocks", new ModuleList<>());
        for (double p : dropPaths) blocks.add(new VSSBlock(dim, dState, p, dt));
        this.downsample = downsample ? child("downsample", new PatchMerging2D(dim, 2 * dim, dt)) : null;
    }

    /** The blocks' output (channels-last), before downsampling. */
    public Tensor blocks(Tensor x, SplittableRandom rng) {
        return InPlace.throughBlocks(x, blocks.items(), (blk, t) -> blk.forward(t, rng));
    }

    /** The input of the next stage: the downsampled map, or x itself for the last stage. */
    public Tensor downsample(Tensor x) { return downsample == null ? x : downsample.forward(x); }

    public VSSBlock block(int j) { return blocks.get(j); }

    public PatchMerging2D downsampleModule() { return downsample; }
}
