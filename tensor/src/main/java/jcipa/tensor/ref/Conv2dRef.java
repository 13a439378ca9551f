package jcipa.tensor.ref;

import jcipa.tensor.kernels.ConvShape;

/**
 * Float64 reference of 2-D convolution (PyTorch {@code F.conv2d}, zero padding, dilation 1, groups)
 * and its gradients, on contiguous NCHW arrays; shapes as in {@link ConvShape}.
 *
 * <pre>
 *   y[n,co,oy,ox] = b[co] + Σ_{ci,ky,kx} w[co,ci,ky,kx] · x[n, g·Cg+ci, oy·sh−ph+ky, ox·sw−pw+kx]
 * </pre>
 * with g = co / (cOut/groups), Cg = cIn/groups, and x = 0 outside the image. The gradients are the
 * same sum read the other way: dx gathers w·dy, dw sums dy·x over images and pixels, db sums dy.
 */
public final class Conv2dRef {
    private Conv2dRef() {}

    public static double[] forward(ConvShape s, double[] x, double[] w, double[] b) {
        int ho = s.ho(), wo = s.wo(), cg = s.cInPerGroup(), og = s.cOutPerGroup();
        double[] y = new double[s.outputSize()];
        for (int n = 0; n < s.n(); n++)
            for (int co = 0; co < s.cOut(); co++) {
                int g = co / og;
                for (int oy = 0; oy < ho; oy++)
                    for (int ox = 0; ox < wo; ox++) {
                        double sum = b == null ? 0.0 : b[co];
                        for (int ci = 0; ci < cg; ci++)
                            for (int ky = 0; ky < s.kh(); ky++)
                                for (int kx = 0; kx < s.kw(); kx++)
                                    sum += w[wIndex(s, co, ci, ky, kx)] * input(s, x, n, g * cg + ci, oy * s.sh() - s.ph() + ky, ox * s.sw() - s.pw() + kx);
                        y[((n * s.cOut() + co) * ho + oy) * wo + ox] = sum;
                    }
            }
        return y;
    }

    /** dx[n,c,iy,ix] = Σ over the outputs that read x[n,c,iy,ix] of w · dy. */
    public static double[] backwardInput(ConvShape s, double[] dy, double[] w) {
        int ho = s.ho(), wo = s.wo(), cg = s.cInPerGroup(), og = s.cOutPerGroup();
        double[] dx = new double[s.inputSize()];
        for (int n = 0; n < s.n(); n++)
            for (int c = 0; c < s.cIn(); c++) {
                int g = c / cg, ci = c % cg;
                for (int iy = 0; iy < s.h(); iy++)
                    for (int ix = 0; ix < s.w(); ix++) {
                        double sum = 0.0;
                        for (int co = g * og; co < (g + 1) * og; co++)
                            for (int ky = 0; ky < s.kh(); ky++)
                                for (int kx = 0; kx < s.kw(); kx++) {
                                    int ty = iy + s.ph() - ky, tx = ix + s.pw() - kx;  // = oy·sh, ox·sw
                                    if (ty < 0 || tx < 0 || ty % s.sh() != 0 || tx % s.sw() != 0) continue;
                                    int oy = ty / s.sh(), ox = tx / s.sw();
                                    if (oy >= ho || ox >= wo) continue;
                                    sum += w[wIndex(s, co, ci, ky, kx)] * dy[((n * s.cOut() + co) * ho + oy) * wo + ox];
                                }
                        dx[((n * s.cIn() + c) * s.h() + iy) * s.w() + ix] = sum;
                    }
            }
        return dx;
    }

    /** dw[co,ci,ky,kx] = Σ_{n,oy,ox} dy[n,co,oy,ox] · x[n, g·Cg+ci, oy·sh−ph+ky, ox·sw−pw+kx]. */
    public static double[] backwardWeight(ConvShape s, double[] x, double[] dy) {
        int ho = s.ho(), wo = s.wo(), cg = s.cInPerGroup(), og = s.cOutPerGroup();
        double[] dw = new double[s.weightSize()];
        for (int co = 0; co < s.cOut(); co++) {
            int g = co / og;
            for (int ci = 0; ci < cg; ci++)
                for (int ky = 0; ky < s.kh(); ky++)
                    for (int kx = 0; kx < s.kw(); kx++) {
                        double sum = 0.0;
                        for (int n = 0; n < s.n(); n++)
                            for (int oy = 0; oy < ho; oy++)
                                for (int ox = 0; ox < wo; ox++)
                                    sum += dy[((n * s.cOut() + co) * ho + oy) * wo + ox]
                                            * input(s, x, n, g * cg + ci, oy * s.sh() - s.ph() + ky, ox * s.sw() - s.pw() + kx);
                        dw[wIndex(s, co, ci, ky, kx)] = sum;
                    }
        }
        return dw;
    }

    /** db[co] = Σ_{n,oy,ox} dy[n,co,oy,ox]. */
    public static double[] backwardBias(ConvShape s, double[] dy) {
        int pixels = s.ho() * s.wo();
        double[] db = new double[s.cOut()];
        for (int n = 0; n < s.n(); n++)
            for (int co = 0; co < s.cOut(); co++)
                for (int p = 0; p < pixels; p++) db[co] += dy[(n * s.cOut() + co) * pixels + p];
        return db;
    }

    private static int wIndex(ConvShape s, int co, int ci, int ky, int kx) {
        return ((co * s.cInPerGroup() + ci) * s.kh() + ky) * s.kw() + kx;
    }

    /** x[n,c,iy,ix], or 0 in the zero padding. */
    private static double input(ConvShape s, double[] x, int n, int c, int iy, int ix) {
        if (iy < 0 || iy >= s.h() || ix < 0 || ix >= s.w()) return 0.0;
        return x[((n * s.cIn() + c) * s.h() + iy) * s.w() + ix];
    }
}
