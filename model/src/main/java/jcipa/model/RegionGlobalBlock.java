package jcipa.model;

import java.util.List;
import java.util.SplittableRandom;

import jcipa.nn.LayerNormLayer;
import jcipa.nn.Module;
import jcipa.nn.Replayable;
import jcipa.nn.Trace;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.DropPath;

/**
 * The interaction block of CIPA's dynamic cross-modality interaction module (official
 * {@code Region_global_Block} in {@code region_mamba.py}, state-dict prefix
 * {@code backbone.channel_attn_mamba.i}), on the tokens of {@link RegionStem}: local tokens
 * x (B·N, 16, C) and regional tokens g (B, N, C), N = R_h·R_w regions of 4×4 words:
 * <pre>
 *   g = g + DropPath(outer_attn(LN_C(g)))                SS2D over the (R_h, R_w) grid of regions
 *   x = x + DropPath(inner_attn(LN_{16C}(x)))            LN over a region's 16·C values at once,
 *                                                        then SS2D over the region as a 4×4 grid
 *   x = x + g                                            each region's 16 words get its regional token
 *   out = regions put back                               (B, 4R_w, 4R_h, C), see below
 * </pre>
 * SS2D is the same VMamba block as the encoder's ({@link SS2D}, d_state 16, expand 2, d_conv 3).
 * LayerNorms have eps 1e-5. There is no projection between the steps. Drop path (timm) draws
 * one mask entry per item of dimension 0: per image for the regional branch, per region (B·N)
 * for the local branch.
 *
 * <p>Put back: word (i, j) of region (r, s) lands at row 4r + i, column 4s + j of a row-major
 * (B, H, W, C) map, H = 4R_h, W = 4R_w; as in the official code that buffer is then labelled
 * (B, W, H, C) — the same thing for the square maps CIPA uses, a transposed-shape reading of the
 * same memory otherwise.
 *
 * <p>State dict (official order): inner_norm1, inner_attn, outer_norm1, outer_attn.
 */
public final class RegionGlobalBlock extends Module implements Replayable {
    public final int outerDim, innerDim, numWords;
    public final double dropPath;
    private final LayerNormLayer innerNorm1, outerNorm1;
    private final SS2D innerAttn, outerAttn;
    private SplittableRandom rng = new SplittableRandom(0);

    /** Official {@code Region_global_Block(outer_dim, inner_dim, num_words, drop_path)}; CIPA: outer = inner = C, 16 words, drop path 0. */
    public RegionGlobalBlock(int outerDim, int innerDim, int numWords, double dropPath, DType dt) {
        if (outerDim <= 0 || innerDim <= 0 || numWords <= 0)
            throw new IllegalArgumentException("RegionGlobalBlock: dims and word count must be positive, got outer " + outerDim
                    + ", inner " + innerDim + ", words " + numWords);
        if (!(dropPath >= 0 && dropPath < 1))
            throw new IllegalArgumentException("RegionGlobalBlock: drop path must be in [0, 1), got " + dropPath);
        this.outerDim = outerDim;
        this.innerDim = innerDim;
        this.numWords = numWords;
        this.dropPath = dropPath;
        innerNorm1 = child("inner_norm1", new LayerNormLayer(1e-5, dt, numWords * innerDim));
        innerAttn = child("inner_attn", new SS2D(innerDim, 16, dt));
        outerNorm1 = child("outer_norm1", new LayerNormLayer(1e-5, dt, outerDim));
        outerAttn = child("outer_attn", new SS2D(outerDim, 16, dt));
    }

    /** The generator of the drop-path masks (used only in training with dropPath > 0). */
    public RegionGlobalBlock dropPathRng(SplittableRandom rng) {
        this.rng = rng;
        return this;
    }

    /** On the stem's outputs. */
    public Tensor forward(RegionStem.Tokens t) {
        return forward(t.local(), t.regional(), t.regionRows(), t.regionCols(), t.wordRows(), t.wordCols());
    }

    /**
     * @param local      (B·N, wordRows·wordCols, innerDim)
     * @param regional   (B, N, outerDim), N = regionRows·regionCols
     * @return (B, regionCols·wordCols, regionRows·wordRows, C), channels-last (see the class note)
     */
    public Tensor forward(Tensor local, Tensor regional, int regionRows, int regionCols, int wordRows, int wordCols) {
        Tensor localIn = local, regionalIn = regional;
        int[] ls = local.shape(), gs = regional.shape();
        int words = wordRows * wordCols;
        if (regionRows <= 0 || regionCols <= 0 || wordRows <= 0 || wordCols <= 0 || words != numWords || outerDim != innerDim
                || gs.length != 3 || gs[1] != regionRows * regionCols || gs[2] != outerDim
                || ls.length != 3 || ls[0] != gs[0] * gs[1] || ls[1] != words || ls[2] != innerDim)
            throw new IllegalArgumentException("RegionGlobalBlock: expected local (B·N, " + numWords + ", " + innerDim + ") and regional (B, N, "
                    + outerDim + ") with N = " + regionRows + "·" + regionCols + " regions of " + wordRows + "×" + wordCols
                    + " words (outer dim must equal inner dim), got local " + Shape.str(ls) + ", regional " + Shape.str(gs));
        int b = gs[0], n = gs[1], c = innerDim;

        Tensor regionMap = outerNorm1.forward(regional).reshape(b, regionRows, regionCols, c);
        regional = regional.add(drop(outerAttn.forward(regionMap).reshape(b, n, c)));

        Tensor wordMaps = innerNorm1.forward(local.reshape(b, n, words * c)).reshape(b * n, wordRows, wordCols, c);
        local = local.add(drop(innerAttn.forward(wordMaps).reshape(b * n, words, c)));

        local = local.add(regional.reshape(b * n, 1, c)); // broadcast over the 16 words

        Tensor out = local.reshape(b, regionRows, regionCols, wordRows, wordCols, c)
                .permute(0, 1, 3, 2, 4, 5)                                          // (B, r, i, s, j, C)
                .reshape(b, regionCols * wordCols, regionRows * wordRows, c);
        Trace.io(this, List.of(localIn, regionalIn), List.of(out));
        return out;
    }

    private Tensor drop(Tensor branch) { return DropPath.apply(branch, dropPath, dropPathActive(), rng); }

    /** Golden-capture replay: inputs and outputs in the order the official module takes and returns them. */
    @Override
    public List<Tensor> replay(List<Tensor> in) {
        Tensor local = in.get(0), regional = in.get(1);        // (B·N, 16, C), (B, N, C); square grids
        int n = regional.size(1), side = (int) Math.round(Math.sqrt(n));
        if (side * side != n) throw new IllegalArgumentException("RegionGlobalBlock.replay: " + n + " regions do not form a square grid");
        return List.of(forward(local, regional, side, side, RegionStem.WINDOW, RegionStem.WINDOW));
    }
}
