package jcipa.model;

import jcipa.nn.LayerNormLayer;
import jcipa.tensor.Tensor;

/**
 * The two branches of one DCIM interaction block ({@link RegionGlobalBlock}) taken apart, for
 * looking at them (the paper's Figure 7 shows PET features after the region Mamba block and CT
 * features after the local Mamba block):
 * <pre>
 *   regional' = g + outer_attn(LN_C(g))               PET regional tokens after the region Mamba block   (B, N, C)
 *   local'    = x + inner_attn(LN_{16C}(x))           CT local tokens after the local Mamba block        (B·N, 16, C)
 *   fused     = local' + regional' (per region)       what the block returns, before regions are put back
 * </pre>
 * The arithmetic is the block's own, step for step (evaluation, no drop path);
 * {@code DcimBranchesTest} checks that recombining the branches gives the block's output bit for bit.
 */
public final class DcimBranches {
    private DcimBranches() {}

    /**
     * @param regional (B, N, C) regional tokens after the region Mamba block
     * @param local    (B·N, 16, C) local tokens after the local Mamba block
     */
    public record Parts(Tensor regional, Tensor local, int regionRows, int regionCols, int wordRows, int wordCols) {
        /** The regional tokens as a map (B, C, R_h, R_w), one pixel per 4×4 region. */
        public Tensor regionalMap() {
            int b = regional.size(0), c = regional.size(2);
            return regional.reshape(b, regionRows, regionCols, c).permute(0, 3, 1, 2).contiguous();
        }

        /** The local tokens put back as a map (B, C, 4R_h, 4R_w): word (i, j) of region (r, s) at row 4r+i, column 4s+j. */
        public Tensor localMap() { return putBack(local); }

        /** local' + regional' per region, put back as a map (B, C, 4R_h, 4R_w): the block's output in NCHW. */
        public Tensor fusedMap() {
            int bn = local.size(0), c = local.size(2);
            return putBack(local.add(regional.reshape(bn, 1, c)));
        }

        private Tensor putBack(Tensor words) {
            int c = words.size(2), b = words.size(0) / (regionRows * regionCols);
            return words.reshape(b, regionRows, regionCols, wordRows, wordCols, c)
                    .permute(0, 5, 1, 3, 2, 4)                                   // (B, C, r, i, s, j)
                    .reshape(b, c, regionRows * wordRows, regionCols * wordCols);
        }
    }

    /** The branches of {@code block} on the stem's tokens (evaluation). */
    public static Parts of(RegionGlobalBlock block, RegionStem.Tokens t) {
        LayerNormLayer outerNorm = (LayerNormLayer) block.children().get("outer_norm1");
        LayerNormLayer innerNorm = (LayerNormLayer) block.children().get("inner_norm1");
        SS2D outer = (SS2D) block.children().get("outer_attn");
        SS2D inner = (SS2D) block.children().get("inner_attn");
        Tensor g = t.regional(), x = t.local();
        int b = g.size(0), n = g.size(1), c = g.size(2), words = t.wordRows() * t.wordCols();

        Tensor regionMap = outerNorm.forward(g).reshape(b, t.regionRows(), t.regionCols(), c);
        Tensor regional = g.add(outer.forward(regionMap).reshape(b, n, c));

        Tensor wordMaps = innerNorm.forward(x.reshape(b, n, words * c)).reshape(b * n, t.wordRows(), t.wordCols(), c);
        Tensor local = x.add(inner.forward(wordMaps).reshape(b * n, words, c));
        return new Parts(regional, local, t.regionRows(), t.regionCols(), t.wordRows(), t.wordCols());
    }
}
