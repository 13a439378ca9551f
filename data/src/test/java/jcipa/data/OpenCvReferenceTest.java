package jcipa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Bit-for-bit against OpenCV itself: the cases in {@code resources/jcipa/data/opencv} were made by
 * {@code make_cases.py} with OpenCV 4.6.0 (Debian's python3-opencv): {@code getPerspectiveTransform}
 * + {@code warpPerspective} (INTER_LINEAR, black border) with the official warp parameters, and
 * {@code resize} with INTER_CUBIC, on 1- and 2-channel images of sizes that exercise the block
 * structure of the warp and the SIMD/scalar split of the resize; and the whole chain (warp, flip,
 * crop resized back) on a PET/CT stack and mask for given choices.
 */
class OpenCvReferenceTest {
    record Case(String name, String kind, String[] args) {}

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        for (String line : new String(resource("cases.txt"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] t = line.trim().split(" ");
            out.add(new Case(t[0], t[1], java.util.Arrays.copyOfRange(t, 2, t.length)));
        }
        return out;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = OpenCvReferenceTest.class.getResourceAsStream("opencv/" + name)) {
            if (in == null) throw new IOException("missing test resource opencv/" + name);
            return in.readAllBytes();
        }
    }

    /** The official warp's homography equals OpenCV's entry for entry, and the warped images are identical. */
    @Test
    void warpMatchesOpenCv() throws IOException {
        int n = 0;
        for (Case c : cases()) {
            if (!c.kind().equals("warp")) continue;
            String[] a = c.args();
            int w = Integer.parseInt(a[0]), h = Integer.parseInt(a[1]), cn = Integer.parseInt(a[2]);
            var d = new Augmentation.Draw(true, Double.parseDouble(a[3]), Double.parseDouble(a[4]), Integer.parseInt(a[5]), Integer.parseInt(a[6]),
                    false, 0.8, false, 0, 0, 1);
            double[] m = Augmentation.warpMatrix(d, w, h), want = new double[9];
            for (int i = 0; i < 9; i++) want[i] = Double.parseDouble(a[7 + i]);
            assertArrayEquals(want, m, 0, c.name() + ": homography");
            assertArrayEquals(resource(c.name() + "_dst.bin"), WarpLinear.warp(resource(c.name() + "_src.bin"), w, h, cn, m), c.name());
            n++;
        }
        assertEquals(13, n);
    }

    /** The three augmentations chained on a PET/CT stack and its mask, for given choices, as OpenCV computes them. */
    @Test
    void wholeAugmentationMatchesOpenCv() throws IOException {
        int n = 0;
        for (Case c : cases()) {
            if (!c.kind().equals("chain")) continue;
            String[] a = c.args();
            int side = Integer.parseInt(a[0]), plane = side * side;
            var d = new Augmentation.Draw(a[1].equals("1"), Double.parseDouble(a[2]), Double.parseDouble(a[3]), Integer.parseInt(a[4]),
                    Integer.parseInt(a[5]), a[6].equals("1"), Double.parseDouble(a[7]), a[8].equals("1"), Integer.parseInt(a[9]),
                    Integer.parseInt(a[10]), Integer.parseInt(a[11]));
            byte[] src = resource(c.name() + "_src.bin"), want = resource(c.name() + "_dst.bin");
            Sample s = new Sample(c.name(), image(src, 1, side), image(src, 0, side), image(src, 2, side));
            Sample got = Augmentation.apply(s, d);
            assertArrayEquals(image(want, 0, side).pixels(), got.pet().pixels(), c.name() + " PET");
            assertArrayEquals(image(want, 1, side).pixels(), got.ct().pixels(), c.name() + " CT");
            assertArrayEquals(image(want, 2, side).pixels(), got.mask().pixels(), c.name() + " mask");
            assertEquals(3 * plane, want.length);
            n++;
        }
        assertEquals(5, n);
    }

    private static U8Image image(byte[] planes, int k, int side) {
        return new U8Image(side, side, java.util.Arrays.copyOfRange(planes, k * side * side, (k + 1) * side * side));
    }

    @Test
    void cubicResizeMatchesOpenCv() throws IOException {
        int n = 0;
        for (Case c : cases()) {
            if (!c.kind().equals("cubic")) continue;
            int[] a = java.util.Arrays.stream(c.args()).mapToInt(Integer::parseInt).toArray();
            byte[] got = CubicResize.resize(resource(c.name() + "_src.bin"), a[0], a[1], a[2], a[3], a[4]);
            assertArrayEquals(resource(c.name() + "_dst.bin"), got, c.name());
            n++;
        }
        assertEquals(7, n);
    }
}
