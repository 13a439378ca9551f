// jcipa's CUDA kernels: the selective scan (forward and backward) and 2-D convolution helpers.
// Same math, shapes and layouts as the Java kernels in jcipa.tensor.kernels (contiguous row-major
// float32); see SelectiveScanRef and Conv2dRef for the equations. Matrix products go to cuBLAS.
// Compiled to PTX by build-ptx.sh (nvcc -ptx -arch=compute_90); the PTX is checked in beside the
// Java code that loads it (CudaBackend), so the build needs no CUDA toolkit.
//
// Sums are taken in a fixed order (no atomics), so a run gives the same bits every time.
// The forward kernels (gemm, conv2d_fwd_direct, scan_fwd) give the CPU kernels' bits exactly: the
// same fma chains in the same order, and exp/log1p/softplus ported from jcipa.tensor.math.FMath.
// This needs -fmad=false (no contraction of a*b+c into fma, as in Java); build-ptx.sh sets it.
// The backward kernels agree with the CPU ones to rounding (other summation orders, CUDA's expf).

#define MAXN 16      // states per channel the scan kernels hold in registers
#define SEG 64       // time steps per backward segment (checkpoint spacing)
#define WARP 32

__device__ __forceinline__ float softplus(float x) { return x <= 20.f ? log1pf(expf(x)) : x; }
__device__ __forceinline__ float softplus_grad(float x) { return x <= 20.f ? 1.f / (1.f + expf(-x)) : 1.f; }

// ------------------------------------------------------- FMath.exp / log1p / softplus, bit for bit
#define ROUND_MAGIC 0x1.8p23f
#define ROUND_MAGIC_BITS 0x4b400000
#define SQRT_HALF_BITS 0x3f3504f3
__device__ __forceinline__ float pow2i(int n) { return __int_as_float((n + 127) << 23); }
__device__ __forceinline__ float fm_exp(float x) {
    if (x != x) return x;
    float xc = fminf(fmaxf(x, -110.f), 89.f);
    float t = fmaf(xc, 0x1.715476p0f, ROUND_MAGIC);
    float k = t - ROUND_MAGIC;
    float r = fmaf(k, -0x1.62e43p-1f, xc);
    r = fmaf(k, 0x1.05c61p-29f, r);                       // -EXP_LN2_LO
    float p = fmaf(0x1.6ad158p-10f, r, 0x1.123f3p-7f);
    p = fmaf(p, r, 0x1.55584ep-5f);
    p = fmaf(p, r, 0x1.55548ap-3f);
    p = fmaf(p, r, 0x1.fffffcp-2f);
    p = fmaf(p, r, 1.f);
    p = fmaf(p, r, 1.f);
    int km = __float_as_int(t) - ROUND_MAGIC_BITS;
    int k1 = km >> 1, k2 = km - k1;
    return p * pow2i(k1) * pow2i(k2);
}
__device__ __forceinline__ float fm_log1p(float x) {
    if (x != x) return x;
    if (x == __int_as_float(0x7f800000)) return x;
    if (x == -1.f) return __int_as_float(0xff800000);
    if (x < -1.f) return __int_as_float(0x7fc00000);
    if (x == 0.f) return x;
    float u = 1.f + x;
    float c = x <= 1.f ? x - (u - 1.f) : 1.f - (u - x);
    int iu = __float_as_int(u);
    int e = (iu - SQRT_HALF_BITS) >> 23;
    float f = __int_as_float(iu - (e << 23)) - 1.f;
    float k = __int_as_float(ROUND_MAGIC_BITS + e) - ROUND_MAGIC;
    float lo = fmaf(k, 0x1.7f7d1cp-20f, c / u);
    float s = f / (2.f + f);
    float z = s * s;
    float hfsq = 0.5f * f * f;
    float r = z * fmaf(fmaf(0x1.32229ep-2f, z, 0x1.995c9cp-2f), z, 0x1.55557cp-1f);
    float tail = fmaf(s, hfsq + r, lo);
    return fmaf(k, 0x1.62e4p-1f, f - (hfsq - tail));
}
__device__ __forceinline__ float fm_softplus(float x) { return x <= 20.f ? fm_log1p(fm_exp(x)) : x; }

// ---------------------------------------------------------------------------------- scan forward
// One thread per (b, d). u, delta, y (batch, K*Dg, L); A (K*Dg, N); B, C (batch, K, N, L);
// D, dbias (K*Dg) or null.  h_t = exp(δ_t A) h_{t-1} + δ_t u_t B_t;  y_t = C_t·h_t + D u_t.
extern "C" __global__ void scan_fwd(const float* __restrict__ u, const float* __restrict__ delta,
        const float* __restrict__ A, const float* __restrict__ B, const float* __restrict__ C,
        const float* __restrict__ D, const float* __restrict__ dbias,
        int batch, int K, int Dg, int L, int N, float* __restrict__ y) {
    int channels = K * Dg;
    int id = blockIdx.x * blockDim.x + threadIdx.x;
    if (id >= batch * channels) return;
    int b = id / channels, d = id % channels, g = d / Dg;
    const float* ur = u + (size_t) id * L;
    const float* dr = delta + (size_t) id * L;
    float* yr = y + (size_t) id * L;
    const float* Br = B + (size_t) (b * K + g) * N * L;
    const float* Cr = C + (size_t) (b * K + g) * N * L;
    float a[MAXN], h[MAXN];
#pragma unroll
    for (int n = 0; n < MAXN; n++) { a[n] = n < N ? A[d * N + n] : 0.f; h[n] = 0.f; }
    float bias = dbias ? dbias[d] : 0.f;
    for (int t = 0; t < L; t++) {
        // the CPU kernel's operations in its order: δ = softplus(Δ (+ bias)), δu = δ·u,
        // h = fma(exp(δ·a), h, δu·B), y = fma(h, C, y) over n from 0, then fma(D, u, y)
        float ut = ur[t], dt = fm_softplus(dbias ? dr[t] + bias : dr[t]), du = dt * ut, acc = 0.f;
#pragma unroll
        for (int n = 0; n < MAXN; n++) {
            if (n < N) {
                h[n] = fmaf(fm_exp(dt * a[n]), h[n], du * Br[(size_t) n * L + t]);
                acc = fmaf(h[n], Cr[(size_t) n * L + t], acc);
            }
        }
        yr[t] = D ? fmaf(D[d], ut, acc) : acc;
    }
}

// The same forward in two wider launches (the 1-thread-per-channel kernel above runs only
// batch·K·Dg threads): scan_fwd_states, one thread per (b, d, n), writes every state h_t[n] to
// h (batch·K·Dg, L, N); scan_fwd_out, one thread per (b, d, t), reads them back for y_t. Same
// operations in the same order as scan_fwd, so the same bits.
extern "C" __global__ void scan_fwd_states(const float* __restrict__ u, const float* __restrict__ delta,
        const float* __restrict__ A, const float* __restrict__ B, const float* __restrict__ dbias,
        int batch, int K, int Dg, int L, int N, float* __restrict__ h) {
    int channels = K * Dg;
    size_t id = (size_t) blockIdx.x * blockDim.x + threadIdx.x;
    if (id >= (size_t) batch * channels * N) return;
    int n = id % N;
    size_t bd = id / N;
    int b = bd / channels, d = bd % channels, g = d / Dg;
    const float* ur = u + bd * L;
    const float* dr = delta + bd * L;
    const float* Br = B + ((size_t) (b * K + g) * N + n) * L;
    float* hr = h + bd * L * N + n;
    float a = A[d * N + n], bias = dbias ? dbias[d] : 0.f, hv = 0.f;
    for (int t = 0; t < L; t++) {
        float dt = fm_softplus(dbias ? dr[t] + bias : dr[t]), du = dt * ur[t];
        hv = fmaf(fm_exp(dt * a), hv, du * Br[t]);
        hr[(size_t) t * N] = hv;
    }
}

extern "C" __global__ void scan_fwd_out(const float* __restrict__ u, const float* __restrict__ C,
        const float* __restrict__ D, const float* __restrict__ h, int batch, int K, int Dg, int L, int N,
        float* __restrict__ y) {
    int channels = K * Dg;
    size_t id = (size_t) blockIdx.x * blockDim.x + threadIdx.x;
    if (id >= (size_t) batch * channels * L) return;
    int t = id % L;
    size_t bd = id / L;
    int b = bd / channels, d = bd % channels, g = d / Dg;
    const float* hr = h + id * N;
    const float* Cr = C + (size_t) (b * K + g) * N * L + t;
    float acc = 0.f;
    for (int n = 0; n < N; n++) acc = fmaf(hr[n], Cr[(size_t) n * L], acc);
    y[id] = D ? fmaf(D[d], u[id], acc) : acc;
}

// --------------------------------------------------------------------------------- scan backward
// Block = one warp = 32 consecutive channels of one group: blockIdx.x = (b*K + g)*nblk + blk.
// Pass 1 keeps h at each segment start (ckpt); then, segment by segment from the end, the
// segment's states are recomputed into hs and the adjoint G_t = dy_t C_t + Ā_{t+1} G_{t+1} runs
// back through them. Per-channel terms of dB, dC are summed over the warp's channels (fixed
// butterfly) into partBC; dA, dD, dΔbias over time into per-batch parts. scan_bwd_reduce_* sum
// the parts in block / batch order.
__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

extern "C" __global__ void scan_bwd(const float* __restrict__ u, const float* __restrict__ delta,
        const float* __restrict__ A, const float* __restrict__ B, const float* __restrict__ C,
        const float* __restrict__ D, const float* __restrict__ dbias, const float* __restrict__ dy,
        int batch, int K, int Dg, int L, int N,
        float* __restrict__ du, float* __restrict__ ddelta,
        float* __restrict__ partB, float* __restrict__ partC,       // (batch*K*nblk, N, L)
        float* __restrict__ partA, float* __restrict__ partD, float* __restrict__ partBias, // (batch, K*Dg[, N])
        float* __restrict__ ckpt, float* __restrict__ hs) {          // (nseg, N, T), (SEG, N, T)
    int nblk = (Dg + WARP - 1) / WARP, channels = K * Dg;
    int lane = threadIdx.x, blk = blockIdx.x % nblk, bg = blockIdx.x / nblk, b = bg / K, g = bg % K;
    int c = blk * WARP + lane, d = g * Dg + c;
    bool valid = c < Dg;
    size_t T = (size_t) gridDim.x * WARP, tid = (size_t) blockIdx.x * WARP + lane;
    size_t row = ((size_t) b * channels + (valid ? d : 0)) * L;
    const float* Br = B + (size_t) bg * N * L;
    const float* Cr = C + (size_t) bg * N * L;
    float* pB = partB + (size_t) blockIdx.x * N * L;
    float* pC = partC + (size_t) blockIdx.x * N * L;
    float a[MAXN], h[MAXN], G[MAXN], aNext[MAXN], dA[MAXN];
#pragma unroll
    for (int n = 0; n < MAXN; n++) { a[n] = (valid && n < N) ? A[d * N + n] : 0.f; h[n] = 0.f; G[n] = 0.f; aNext[n] = 0.f; dA[n] = 0.f; }
    float bias = (valid && dbias) ? dbias[d] : 0.f, Dd = (valid && D) ? D[d] : 0.f;
    int nseg = (L + SEG - 1) / SEG;
    // pass 1: checkpoints h_{t0-1} at every segment start
    for (int t = 0; t < L; t++) {
        if (t % SEG == 0) {
#pragma unroll
            for (int n = 0; n < MAXN; n++) if (n < N) ckpt[((size_t) (t / SEG) * N + n) * T + tid] = h[n];
        }
        float ut = valid ? u[row + t] : 0.f, dt = softplus((valid ? delta[row + t] : 0.f) + bias), dut = dt * ut;
#pragma unroll
        for (int n = 0; n < MAXN; n++) if (n < N) h[n] = fmaf(expf(dt * a[n]), h[n], dut * Br[(size_t) n * L + t]);
    }
    float sumD = 0.f, sumBias = 0.f;
    for (int s = nseg - 1; s >= 0; s--) {
        int t0 = s * SEG, tn = min(SEG, L - t0);
#pragma unroll
        for (int n = 0; n < MAXN; n++) if (n < N) h[n] = ckpt[((size_t) s * N + n) * T + tid];
        for (int tl = 0; tl < tn; tl++) {     // recompute h_t of the segment
            int t = t0 + tl;
            float ut = valid ? u[row + t] : 0.f, dt = softplus((valid ? delta[row + t] : 0.f) + bias), dut = dt * ut;
#pragma unroll
            for (int n = 0; n < MAXN; n++) if (n < N) {
                h[n] = fmaf(expf(dt * a[n]), h[n], dut * Br[(size_t) n * L + t]);
                hs[((size_t) tl * N + n) * T + tid] = h[n];
            }
        }
        for (int tl = tn - 1; tl >= 0; tl--) {  // adjoint scan back through the segment
            int t = t0 + tl;
            float ut = valid ? u[row + t] : 0.f, x = (valid ? delta[row + t] : 0.f) + bias;
            float dt = softplus(x), dyt = valid ? dy[row + t] : 0.f;
            float dDeltaT = 0.f, sumGB = 0.f;
#pragma unroll
            for (int n = 0; n < MAXN; n++) if (n < N) {
                float Bt = Br[(size_t) n * L + t], Ct = Cr[(size_t) n * L + t];
                float ht = hs[((size_t) tl * N + n) * T + tid];
                float hPrev = tl > 0 ? hs[((size_t) (tl - 1) * N + n) * T + tid] : ckpt[((size_t) s * N + n) * T + tid];
                float aBar = expf(dt * a[n]);
                G[n] = fmaf(aNext[n], G[n], dyt * Ct);
                float cTerm = warp_sum(dyt * ht);
                float bTerm = warp_sum(G[n] * dt * ut);
                if (lane == 0) { pC[(size_t) n * L + t] = cTerm; pB[(size_t) n * L + t] = bTerm; }
                float dABar = G[n] * hPrev;
                dA[n] = fmaf(dABar * aBar, dt, dA[n]);
                dDeltaT = fmaf(dABar * aBar, a[n], fmaf(G[n] * Bt, ut, dDeltaT));
                sumGB = fmaf(G[n], Bt, sumGB);
                aNext[n] = aBar;
            }
            if (valid) {
                du[row + t] = fmaf(dyt, Dd, dt * sumGB);
                float dRaw = dDeltaT * softplus_grad(x);
                ddelta[row + t] = dRaw;
                sumBias += dRaw;
                sumD = fmaf(dyt, ut, sumD);
            }
        }
    }
    if (valid) {
        size_t pd = (size_t) b * channels + d;
#pragma unroll
        for (int n = 0; n < MAXN; n++) if (n < N) partA[pd * N + n] = dA[n];
        partD[pd] = sumD;
        partBias[pd] = sumBias;
    }
}

// dB, dC (batch, K, N, L) = Σ over the nblk warps of each (b, g), in block order.
extern "C" __global__ void scan_bwd_reduce_bc(const float* __restrict__ partB, const float* __restrict__ partC,
        int batch, int K, int nblk, int NL, float* __restrict__ dB, float* __restrict__ dC) {
    size_t i = (size_t) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (size_t) batch * K * NL) return;
    size_t bg = i / NL, r = i % NL;
    float sb = 0.f, sc = 0.f;
    for (int k = 0; k < nblk; k++) {
        sb += partB[(bg * nblk + k) * NL + r];
        sc += partC[(bg * nblk + k) * NL + r];
    }
    dB[i] = sb;
    dC[i] = sc;
}

// out[j] = Σ_b part[b*count + j] in batch order (dA with count K*Dg*N; dD, dΔbias with K*Dg).
extern "C" __global__ void sum_over_batch(const float* __restrict__ part, int batch, int count, float* __restrict__ out) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= count) return;
    float s = 0.f;
    for (int b = 0; b < batch; b++) s += part[(size_t) b * count + j];
    out[j] = s;
}

// ------------------------------------------------------------------------------------ convolution
// x (n, cIn, h, w), weight (cOut, cIn/groups, kh, kw), y (n, cOut, ho, wo); PyTorch conv2d
// semantics (zero padding, dilation 1). Direct kernels serve grouped convs; dense convs use
// im2col + cuBLAS.
struct ConvDims { int n, cIn, h, w, cOut, kh, kw, sh, sw, ph, pw, groups, ho, wo; };

// One thread per output element; taps summed in (ci, ky, kx) order with fma from 0, then + bias:
// the CPU kernel's bits (im2col + ConvGemm, and its depthwise fast path, which has the same bits).
extern "C" __global__ void conv2d_fwd_direct(const float* __restrict__ x, const float* __restrict__ wt,
        const float* __restrict__ bias, ConvDims s, float* __restrict__ y) {
    size_t i = (size_t) blockIdx.x * blockDim.x + threadIdx.x;
    size_t total = (size_t) s.n * s.cOut * s.ho * s.wo;
    if (i >= total) return;
    int ox = i % s.wo, oy = (i / s.wo) % s.ho, co = (i / ((size_t) s.wo * s.ho)) % s.cOut, img = i / ((size_t) s.wo * s.ho * s.cOut);
    int cinG = s.cIn / s.groups, coG = s.cOut / s.groups, g = co / coG;
    const float* wr = wt + (size_t) co * cinG * s.kh * s.kw;
    float acc = 0.f;
    for (int ci = 0; ci < cinG; ci++) {             // taps ascending; a padded tap adds fma(w, 0, acc), as the CPU's im2col
        const float* xp = x + ((size_t) img * s.cIn + g * cinG + ci) * s.h * s.w;
        for (int ky = 0; ky < s.kh; ky++) {
            int iy = oy * s.sh - s.ph + ky;
            bool rowIn = iy >= 0 && iy < s.h;
            for (int kx = 0; kx < s.kw; kx++) {
                int ix = ox * s.sw - s.pw + kx;
                float xv = (rowIn && ix >= 0 && ix < s.w) ? xp[iy * s.w + ix] : 0.f;
                acc = fmaf(wr[(ci * s.kh + ky) * s.kw + kx], xv, acc);
            }
        }
    }
    y[i] = bias ? acc + bias[co] : acc;
}

// col (n, taps, ho*wo) for a dense conv (groups = 1): col[img, (ci*kh+ky)*kw+kx, p] = x under that tap, 0 in padding.
extern "C" __global__ void im2col(const float* __restrict__ x, ConvDims s, float* __restrict__ col) {
    size_t P = (size_t) s.ho * s.wo, taps = (size_t) s.cIn * s.kh * s.kw;
    size_t i = (size_t) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (size_t) s.n * taps * P) return;
    size_t p = i % P, tap = (i / P) % taps, img = i / (P * taps);
    int kx = tap % s.kw, ky = (tap / s.kw) % s.kh, ci = tap / (s.kw * s.kh);
    int oy = p / s.wo, ox = p % s.wo, iy = oy * s.sh - s.ph + ky, ix = ox * s.sw - s.pw + kx;
    col[i] = (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) ? 0.f : x[((img * s.cIn + ci) * (size_t) s.h + iy) * s.w + ix];
}

// y (n, cOut, P) += bias[co]
extern "C" __global__ void add_channel_bias(float* __restrict__ y, const float* __restrict__ bias, int n, int cOut, int P) {
    size_t i = (size_t) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (size_t) n * cOut * P) return;
    y[i] += bias[(i / P) % cOut];
}

// dx: one thread per input element; sums over the output channels of its group (ascending), then taps.
extern "C" __global__ void conv2d_bwd_input(const float* __restrict__ dy, const float* __restrict__ wt,
        ConvDims s, float* __restrict__ dx) {
    size_t i = (size_t) blockIdx.x * blockDim.x + threadIdx.x;
    size_t total = (size_t) s.n * s.cIn * s.h * s.w;
    if (i >= total) return;
    int ix = i % s.w, iy = (i / s.w) % s.h, ci = (i / ((size_t) s.w * s.h)) % s.cIn, img = i / ((size_t) s.w * s.h * s.cIn);
    int cinG = s.cIn / s.groups, coG = s.cOut / s.groups, g = ci / cinG, cil = ci % cinG;
    float acc = 0.f;
    for (int col = 0; col < coG; col++) {
        int co = g * coG + col;
        const float* dyp = dy + ((size_t) img * s.cOut + co) * s.ho * s.wo;
        const float* wr = wt + ((size_t) co * cinG + cil) * s.kh * s.kw;
        for (int ky = 0; ky < s.kh; ky++) {
            int ty = iy + s.ph - ky;
            if (ty < 0 || ty % s.sh != 0) continue;
            int oy = ty / s.sh;
            if (oy >= s.ho) continue;
            for (int kx = 0; kx < s.kw; kx++) {
                int tx = ix + s.pw - kx;
                if (tx < 0 || tx % s.sw != 0) continue;
                int ox = tx / s.sw;
                if (ox >= s.wo) continue;
                acc = fmaf(wr[ky * s.kw + kx], dyp[oy * s.wo + ox], acc);
            }
        }
    }
    dx[i] = acc;
}

// dw: one warp per weight element; lanes stride over (img, pixel), then a fixed butterfly sum.
extern "C" __global__ void conv2d_bwd_weight(const float* __restrict__ x, const float* __restrict__ dy,
        ConvDims s, float* __restrict__ dw) {
    int cinG = s.cIn / s.groups, coG = s.cOut / s.groups;
    size_t wsize = (size_t) s.cOut * cinG * s.kh * s.kw;
    size_t wi = (size_t) blockIdx.x * (blockDim.x / WARP) + threadIdx.x / WARP;
    int lane = threadIdx.x % WARP;
    if (wi >= wsize) return;     // whole warps leave together
    int kx = wi % s.kw, ky = (wi / s.kw) % s.kh, cil = (wi / ((size_t) s.kw * s.kh)) % cinG, co = wi / ((size_t) s.kw * s.kh * cinG);
    int ci = (co / coG) * cinG + cil;
    size_t P = (size_t) s.ho * s.wo;
    float acc = 0.f;
    for (size_t q = lane; q < (size_t) s.n * P; q += WARP) {
        size_t img = q / P, p = q % P;
        int oy = p / s.wo, ox = p % s.wo, iy = oy * s.sh - s.ph + ky, ix = ox * s.sw - s.pw + kx;
        if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) continue;
        acc = fmaf(dy[(img * s.cOut + co) * P + p], x[((img * s.cIn + ci) * (size_t) s.h + iy) * s.w + ix], acc);
    }
    acc = warp_sum(acc);
    if (lane == 0) dw[wi] = acc;
}

// ------------------------------------------------------------------------------------------ GEMM
// C_t (M,N) (=, or += with acc) op(A_t)·op(B_t), row-major; A (M,K) or stored (K,M) when ta,
// B (K,N) or stored (N,K) when tb. Each output is one fma chain over k ascending from +0 (or from
// the old C): the CPU Gemm's bits. 64×64 tiles, 16×16 threads of 4×4 outputs, k in steps of 16.
#define GT 64
#define GK 16
extern "C" __global__ void gemm_exact(int batch, int ta, int tb, int M, int N, int K,
        const float* __restrict__ a, long long aStride, const float* __restrict__ b, long long bStride,
        float* __restrict__ c, long long cStride, int acc) {
    __shared__ float As[GK][GT + 1];
    __shared__ float Bs[GK][GT + 1];
    int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
    int row0 = blockIdx.y * GT, col0 = blockIdx.x * GT;
    for (int z = blockIdx.z; z < batch; z += gridDim.z) {
        const float* A = a + z * aStride;
        const float* Bm = b + z * bStride;
        float* Cm = c + z * cStride;
        float r[4][4];
#pragma unroll
        for (int i = 0; i < 4; i++)
#pragma unroll
            for (int j = 0; j < 4; j++) {
                int row = row0 + ty + 16 * i, col = col0 + tx + 16 * j;
                r[i][j] = (acc && row < M && col < N) ? Cm[(size_t) row * N + col] : 0.f;
            }
        for (int k0 = 0; k0 < K; k0 += GK) {
            for (int e = threadIdx.x; e < GK * GT; e += 256) {
                int kk = e / GT, q = e % GT, k = k0 + kk;
                int row = row0 + q, col = col0 + q;
                As[kk][q] = (k < K && row < M) ? (ta ? A[(size_t) k * M + row] : A[(size_t) row * K + k]) : 0.f;
                Bs[kk][q] = (k < K && col < N) ? (tb ? Bm[(size_t) col * K + k] : Bm[(size_t) k * N + col]) : 0.f;
            }
            __syncthreads();
            int kn = min(GK, K - k0);
            for (int kk = 0; kk < kn; kk++) {
                float av[4], bv[4];
#pragma unroll
                for (int i = 0; i < 4; i++) { av[i] = As[kk][ty + 16 * i]; bv[i] = Bs[kk][tx + 16 * i]; }
#pragma unroll
                for (int i = 0; i < 4; i++)
#pragma unroll
                    for (int j = 0; j < 4; j++) r[i][j] = fmaf(av[i], bv[j], r[i][j]);
            }
            __syncthreads();
        }
#pragma unroll
        for (int i = 0; i < 4; i++)
#pragma unroll
            for (int j = 0; j < 4; j++) {
                int row = row0 + ty + 16 * i, col = col0 + tx + 16 * j;
                if (row < M && col < N) Cm[(size_t) row * N + col] = r[i][j];
            }
    }
}
