package jcipa.model;

import java.util.List;

import jcipa.nn.Module;
import jcipa.nn.Replayable;
import jcipa.nn.Trace;
import jcipa.tensor.DType;
import jcipa.tensor.Shape;
import jcipa.tensor.Tensor;

/**
 * The tokeniser of CIPA's dynamic cross-modality interaction module (official {@code Stem} in
 * {@code region_mamba.py}, state-dict prefix {@code backbone.region_patch.i}).
 *
 * <p>With the CT map x and the PET map y, both (B, C, H, W), C = innerDim, H and W multiples of 4:
 * <ul>
 *   <li>local tokens: {@code inner_convs} = Conv3×3(C→C/4)+BN+ReLU, Conv3×3(C/4→C)+BN+ReLU keep
 *       the size; the map is cut into N = (H/4)(W/4) windows of 4×4 pixels, windows in row-major
 *       order, and window n's pixel (i, j) becomes token t = 4i + j:
 *       {@code local[b·N + n, t, c] = inner(x)[b, c, 4·⌊n/(W/4)⌋ + i, 4·(n mod W/4) + j]} → (B·N, 16, C);</li>
 *   <li>regional tokens: {@code outer_convs} = Conv3×3(C→C/16), Conv3×3 stride 2 (C/16→C/8),
 *       Conv3×3 stride 2 (C/8→C/4), Conv3×3(C/4→outerDim), each +BN+ReLU, take y to (H/4, W/4),
 *       read channels-last → (B, N, outerDim).</li>
 * </ul>
 * All convolutions have bias and padding 1; the C/k are floor divisions, as the official code's.
 */
public final class RegionStem extends Module implements Replayable {
    /** Side of a region in pixels (and in local tokens): 4. */
    public static final int WINDOW = 4;

    /**
     * The stem's outputs.
     *
     * @param local      (B·N, 16, innerDim) local tokens, region-major
     * @param regional   (B, N, outerDim) regional tokens
     * @param regionRows H/4 (official H_out)
     * @param regionCols W/4 (official W_out)
     * @param wordRows   4 (official H_in)
     * @param wordCols   4 (official W_in)
     */
    public record Tokens(Tensor local, Tensor regional, int regionRows, int regionCols, int wordRows, int wordCols) {}

    public final int innerDim, outerDim;
    private final ConvBnReluStack innerConvs, outerConvs;

    /** Official {@code Stem(outer_dim, inner_dim)}; CIPA uses innerDim = outerDim = the stage's channels (≥ 16). */
    public RegionStem(int innerDim, int outerDim, DType dt) {
        if (innerDim < 16 || outerDim <= 0)
            throw new IllegalArgumentException("RegionStem: innerDim must be >= 16 and outerDim positive, got " + innerDim + ", " + outerDim);
        this.innerDim = innerDim;
        this.outerDim = outerDim;
        innerConvs = child("inner_convs", new ConvBnReluStack(new int[] {innerDim, innerDim / 4, innerDim}, new int[] {1, 1}, dt));
        outerConvs = child("outer_convs", new ConvBnReluStack(
                new int[] {innerDim, innerDim / 16, innerDim / 8, innerDim / 4, outerDim}, new int[] {1, 2, 2, 1}, dt));
    }

    /** ct, pet: (B, innerDim, H, W) with H, W multiples of 4. */
    public Tokens forward(Tensor ct, Tensor pet) {
        int[] s = ct.shape();
        if (s.length != 4 || s[1] != innerDim || s[2] % WINDOW != 0 || s[3] % WINDOW != 0 || s[2] == 0 || s[3] == 0)
            throw new IllegalArgumentException("RegionStem: CT map must be (B, " + innerDim + ", H, W) with H, W positive multiples of "
                    + WINDOW + ", got " + Shape.str(s));
        if (!java.util.Arrays.equals(pet.shape(), s))
            throw new IllegalArgumentException("RegionStem: PET map " + Shape.str(pet.shape()) + " differs from CT map " + Shape.str(s));
        int b = s[0], rows = s[2] / WINDOW, cols = s[3] / WINDOW;

        Tensor local = cutWindows(innerConvs.forward(ct));

        Tensor regional = outerConvs.forward(pet); // (B, outerDim, rows, cols)
        regional = regional.permute(0, 2, 3, 1).reshape(b, rows * cols, outerDim);
        Trace.io(this, List.of(ct, pet), List.of(local, regional));
        return new Tokens(local, regional, rows, cols, WINDOW, WINDOW);
    }

    /** (B, C, H, W) → (B·N, 16, C): 4×4 windows in row-major order, each window's pixels row-major. */
    static Tensor cutWindows(Tensor map) {
        int b = map.size(0), c = map.size(1), rows = map.size(2) / WINDOW, cols = map.size(3) / WINDOW;
        return map.reshape(b, c, rows, WINDOW, cols, WINDOW) // (B, C, rows, i, cols, j)
                .permute(0, 2, 4, 3, 5, 1)                   // (B, rows, cols, i, j, C)
                .reshape(b * rows * cols, WINDOW * WINDOW, c);
    }

    /** Golden-capture replay: inputs and outputs in the order the official module takes and returns them. */
    @Override
    public List<Tensor> replay(List<Tensor> in) {
        Tokens t = forward(in.get(0), in.get(1));
        return List.of(t.local(), t.regional());
    }
}
