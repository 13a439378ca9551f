package jcipa.tensor.kernels;

import static jcipa.tensor.kernels.SpatialTestData.*;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jcipa.tensor.ref.Conv2dRef;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class Conv2dTest {

    /** A random shape: dense, depthwise or grouped; strides, paddings and sizes 1, 3, 17 included. */
    static ConvShape randomShape(Random r) {
        int kind = r.nextInt(4);
        int groups, cIn, cOut;
        if (kind == 0) { groups = 1; cIn = pick(r, 1, 3, 4, 17); cOut = pick(r, 1, 2, 5, 17); }
        else if (kind == 1) { cIn = pick(r, 1, 3, 6, 17); groups = cIn; cOut = cIn; }
        else { groups = pick(r, 2, 3); cIn = groups * pick(r, 1, 2, 3); cOut = groups * pick(r, 1, 2, 5); }
        int kh = pick(r, 1, 3, 3, 4), kw = r.nextInt(3) == 0 ? pick(r, 1, 2, 3) : kh;
        int sh = pick(r, 1, 1, 2, 4), sw = r.nextInt(3) == 0 ? pick(r, 1, 2) : sh;
        int ph = pick(r, 0, 1, 1, 2), pw = r.nextInt(3) == 0 ? pick(r, 0, 1) : ph;
        if (r.nextInt(3) == 0) { kh = kw = 3; sh = sw = 1; ph = pw = 1; }   // the depthwise fast path when kind 1
        int h = Math.max(pick(r, 1, 3, 5, 17, 33), kh - 2 * ph), w = Math.max(pick(r, 1, 3, 17, 20, 40), kw - 2 * pw);
        return new ConvShape(pick(r, 1, 1, 2), cIn, h, w, cOut, kh, kw, sh, sw, ph, pw, groups);
    }

    record Case(ConvShape s, float[] x, float[] w, float[] b, float[] dy) {
        static Case random(long seed) {
            Random r = new Random(seed);
            ConvShape s = randomShape(r);
            return new Case(s, gaussian(r, s.inputSize()), gaussian(r, s.weightSize()),
                    r.nextBoolean() ? gaussian(r, s.cOut()) : null, gaussian(r, s.outputSize()));
        }
    }

    record Grads(float[] y, float[] dx, float[] dw, float[] db) {}

    static Grads run(boolean vector, Case c) {
        ConvShape s = c.s();
        float[] y = new float[s.outputSize()], dx = new float[s.inputSize()], dw = new float[s.weightSize()], db = new float[s.cOut()];
        Conv2d.forward(vector, s, c.x(), c.w(), c.b(), y);
        Conv2d.backwardInput(vector, s, c.dy(), c.w(), dx);
        Conv2d.backwardWeight(vector, s, c.x(), c.dy(), dw);
        Conv2d.backwardBias(s, c.dy(), db);
        return new Grads(y, dx, dw, db);
    }

    @Property(tries = 120)
    void matchesReferenceWithinDocumentedBounds(@ForAll long seed) {
        Case c = Case.random(seed);
        ConvShape s = c.s();
        Grads g = run(Simd.ENABLED, c);
        int pixels = s.ho() * s.wo(), taps = s.taps();

        double[] y = Conv2dRef.forward(s, toDouble(c.x()), toDouble(c.w()), toDouble(c.b()));
        double[] yMag = Conv2dRef.forward(s, toDouble(abs(c.x())), toDouble(abs(c.w())), toDouble(abs(c.b())));
        assertWithin("forward " + s, g.y(), y, taps + 2, yMag);

        double[] dx = Conv2dRef.backwardInput(s, toDouble(c.dy()), toDouble(c.w()));
        double[] dxMag = Conv2dRef.backwardInput(s, toDouble(abs(c.dy())), toDouble(abs(c.w())));
        double dxFactor = Conv2d.backwardInputIsConvolution(s) ? 9 * s.cOut() + 2 : s.cOutPerGroup() + s.kh() * s.kw() + 1;
        assertWithin("dInput " + s, g.dx(), dx, dxFactor, dxMag);

        double[] dw = Conv2dRef.backwardWeight(s, toDouble(c.x()), toDouble(c.dy()));
        double[] dwMag = Conv2dRef.backwardWeight(s, toDouble(abs(c.x())), toDouble(abs(c.dy())));
        double dwFactor = DepthwiseConv3x3.applies(s)
                ? Math.ceilDiv(s.wo(), 16) + 4 + s.n() * s.ho() + 1
                : DenseConv3x3WeightGrad.applies(s)
                ? DenseConv3x3WeightGrad.gridPositions(s) / 16 + 4 + s.n()
                : Math.min(Conv2d.DW_PIXEL_CHUNK, pixels) + s.n() * Math.ceilDiv(pixels, Conv2d.DW_PIXEL_CHUNK) + 1;
        assertWithin("dWeight " + s, g.dw(), dw, dwFactor, dwMag);

        double[] db = Conv2dRef.backwardBias(s, toDouble(c.dy()));
        double[] dbMag = Conv2dRef.backwardBias(s, toDouble(abs(c.dy())));
        assertWithin("dBias " + s, g.db(), db,
                Math.min(Conv2d.DB_PIXEL_CHUNK, pixels) + s.n() * Math.ceilDiv(pixels, Conv2d.DB_PIXEL_CHUNK), dbMag);
    }

    @Property(tries = 60)
    void vectorAndScalarPathsGiveIdenticalBits(@ForAll long seed) {
        Case c = Case.random(seed);
        Grads v = run(true, c), sc = run(false, c);
        assertSameBits("forward " + c.s(), v.y(), sc.y());
        assertSameBits("dInput " + c.s(), v.dx(), sc.dx());
        assertSameBits("dWeight " + c.s(), v.dw(), sc.dw());
    }

    @Property(tries = 40)
    void bitsDoNotDependOnThreadCount(@ForAll long seed) {
        Case c = Case.random(seed);
        Grads one = withThreads(1, () -> run(Simd.ENABLED, c)), three = withThreads(3, () -> run(Simd.ENABLED, c));
        assertSameBits("forward " + c.s(), one.y(), three.y());
        assertSameBits("dInput " + c.s(), one.dx(), three.dx());
        assertSameBits("dWeight " + c.s(), one.dw(), three.dw());
        assertSameBits("dBias " + c.s(), one.db(), three.db());
    }

    @Property(tries = 30)
    void depthwiseFastPathEqualsGeneralForwardBits(@ForAll long seed) {
        Random r = new Random(seed);
        int c = pick(r, 1, 3, 17), h = pick(r, 1, 2, 3, 17, 33), w = pick(r, 1, 2, 3, 17, 40);
        ConvShape s = ConvShape.of(pick(r, 1, 2), c, h, w, c, 3, 1, 1, c);
        assertTrue(DepthwiseConv3x3.applies(s));
        float[] x = gaussian(r, s.inputSize()), wt = gaussian(r, s.weightSize()), b = gaussian(r, c);
        float[] fast = new float[s.outputSize()], general = new float[s.outputSize()];
        boolean noNaN = Conv2d.forward(Simd.ENABLED, s, x, wt, b, fast);
        Conv2d.forwardGeneral(Simd.ENABLED, s, x, wt, b, general);
        assertSameBits("depthwise forward " + s, fast, general);
        assertTrue(noNaN, "finite inputs: the kernel says its output holds no NaN");
    }

    /** The depthwise kernel says whether its output holds a NaN (the op then skips its own pass over y). */
    @Test
    void depthwiseSaysWhetherTheOutputHoldsNaN() {
        ConvShape s = ConvShape.of(2, 5, 9, 21, 5, 3, 1, 1, 5);
        float[] x = new float[s.inputSize()], wt = new float[s.weightSize()], y = new float[s.outputSize()];
        java.util.Arrays.fill(wt, 0.5f);
        for (boolean vector : new boolean[] {true, false}) {
            assertTrue(Conv2d.forward(vector, s, x, wt, null, y));
            x[s.inputSize() - 1] = Float.NaN;                              // the last plane of the second image
            org.junit.jupiter.api.Assertions.assertFalse(Conv2d.forward(vector, s, x, wt, null, y));
            x[s.inputSize() - 1] = 0;
            float[] b = {0, 0, Float.NaN, 0, 0};
            org.junit.jupiter.api.Assertions.assertFalse(Conv2d.forward(vector, s, x, wt, b, y));
        }
    }

    @Test
    void cipaShapesMatchReference() {
        Random r = new Random(7);
        ConvShape[] shapes = {
                ConvShape.of(1, 3, 64, 64, 96, 4, 4, 0, 1),       // patch embedding 4×4 stride 4
                ConvShape.of(1, 192, 32, 32, 192, 3, 1, 1, 192),  // depthwise 3×3
                ConvShape.of(1, 96, 16, 16, 24, 3, 1, 1, 1),      // dense 3×3, C → C/4
                ConvShape.of(1, 12, 16, 16, 24, 3, 2, 1, 1),      // dense 3×3 stride 2
                ConvShape.of(2, 96, 8, 8, 3, 1, 1, 0, 1),         // 1×1, C → C/30
                ConvShape.of(1, 96, 8, 8, 1, 1, 1, 0, 1)};        // 1×1, C → 1
        for (ConvShape s : shapes) {
            float[] x = gaussian(r, s.inputSize()), w = gaussian(r, s.weightSize()), b = gaussian(r, s.cOut());
            float[] y = new float[s.outputSize()];
            Conv2d.forward(s, x, w, b, y);
            double[] ref = Conv2dRef.forward(s, toDouble(x), toDouble(w), toDouble(b));
            double[] mag = Conv2dRef.forward(s, toDouble(abs(x)), toDouble(abs(w)), toDouble(abs(b)));
            assertWithin("forward " + s, y, ref, s.taps() + 2, mag);
        }
    }

    @Test
    void badArgumentsAreRejectedWithSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ConvShape.of(1, 3, 8, 8, 4, 3, 1, 1, 2));
        assertTrue(e.getMessage().contains("groups"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvShape.of(0, 3, 8, 8, 4, 3, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ConvShape.of(1, 3, 1, 1, 4, 5, 1, 1, 1));
        ConvShape s = ConvShape.of(1, 3, 8, 8, 4, 3, 1, 1, 1);
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Conv2d.forward(s, new float[s.inputSize() - 1], new float[s.weightSize()], null, new float[s.outputSize()]));
        assertTrue(e2.getMessage().contains("Conv2d.forward") && e2.getMessage().contains("191"), e2.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Conv2d.backwardWeight(s, new float[s.inputSize()], new float[s.outputSize()], new float[3]));
    }
}
