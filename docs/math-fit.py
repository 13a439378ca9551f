#!/usr/bin/env python3
"""Fits the polynomial coefficients used by jcipa.tensor.math (FMath/VMath/DMath).

Minimax (Remez exchange) fits in 60-digit arithmetic with mpmath; the coefficients are then
rounded to the target format (float32 or float64), one at a time with the others re-fitted after
each rounding so that they absorb it (see fit_rounded).

    python3 docs/math-fit.py            # prints every table used by the Java code

Each fit approximates F(u) by p(u) = sum c_k u^k on [a, b], minimising max |W(u) (p(u) - F(u))|.
"""
import struct
import sys

import mpmath as mp

mp.mp.dps = 60


def to_f32(x):
    return struct.unpack('f', struct.pack('f', float(x)))[0]


def to_f64(x):
    return float(x)


def poly(c, u):
    r = mp.mpf(0)
    for ck in reversed(c):
        r = r * u + ck
    return r


def solve_ref(F, W, pts, n, fixed):
    """Coefficients c_0..c_n (those in the dict `fixed` given) levelling the weighted error on
    the reference points; returns (coefficients, levelled error E)."""
    free = [k for k in range(n + 1) if k not in fixed]
    m = len(free)
    A = mp.matrix(m + 1, m + 1)
    rhs = mp.matrix(m + 1, 1)
    for i, u in enumerate(pts):
        known = sum(v * u ** k for k, v in fixed.items())
        for j, k in enumerate(free):
            A[i, j] = u ** k
        w = W(u)
        A[i, m] = (-1) ** i / (w if w != 0 else mp.mpf('1e-40'))
        rhs[i] = F(u) - known
    sol = mp.lu_solve(A, rhs)
    c = [fixed.get(k, mp.mpf(0)) for k in range(n + 1)]
    for j, k in enumerate(free):
        c[k] = sol[j]
    return c, sol[m]


def remez(F, W, a, b, n, fixed=None, iters=40, grid=2000):
    """Minimax p of degree n (coefficients in the dict `fixed` held); returns (coeffs, max error)."""
    fixed = fixed or {}
    a, b = mp.mpf(a), mp.mpf(b)
    m = n + 1 - len(fixed)  # free coefficients
    # dense grid, Chebyshev-clustered toward the ends
    xs = [a + (b - a) * (1 - mp.cos(mp.pi * i / (grid - 1))) / 2 for i in range(grid)]
    pts = [a + (b - a) * (1 - mp.cos(mp.pi * i / m)) / 2 for i in range(m + 1)]
    pts = [u if abs(W(u)) > mp.mpf('1e-30') else u + (b - a) / 1000 for u in pts]  # avoid zero weight
    fx = [F(x) for x in xs]
    wx = [W(x) for x in xs]
    best = None
    for _ in range(iters):
        c, E = solve_ref(F, W, pts, n, fixed)
        err = [wx[i] * (poly(c, xs[i]) - fx[i]) for i in range(grid)]
        # local extrema of the error (including end points)
        ext = []
        for i in range(grid):
            l = err[i - 1] if i > 0 else None
            r = err[i + 1] if i < grid - 1 else None
            e = err[i]
            if (l is None or abs(e) >= abs(l)) and (r is None or abs(e) >= abs(r)):
                ext.append(i)
        # keep alternation: among consecutive same-sign extrema keep the largest
        alt = []
        for i in ext:
            if alt and mp.sign(err[i]) == mp.sign(err[alt[-1]]):
                if abs(err[i]) > abs(err[alt[-1]]):
                    alt[-1] = i
            else:
                alt.append(i)
        while len(alt) > m + 1:  # drop the smaller end
            if abs(err[alt[0]]) < abs(err[alt[-1]]):
                alt.pop(0)
            else:
                alt.pop()
        emax = max(abs(e) for e in err)
        if best is None or emax < best[1]:
            best = (c, emax)
        if len(alt) < m + 1:
            break
        pts = [xs[i] for i in alt]
        if emax <= abs(E) * (1 + mp.mpf('1e-6')):
            break
    return best


def weighted_error(F, W, a, b, c, samples=4000):
    xs = [mp.mpf(a) + (mp.mpf(b) - a) * i / samples for i in range(samples + 1)]
    return max(abs(W(x) * (poly(c, x) - F(x))) for x in xs)


def fit_rounded(F, W, a, b, n, rnd, given=None):
    """Remez fit with coefficients rounded by rnd. Three roundings are tried and the best kept:
    all at once; one by one from the highest degree down and from the lowest degree up, each
    time re-fitting the coefficients not yet rounded so that they absorb the rounding.
    Coefficients in the dict `given` are held at their (representable) values throughout."""
    given = given or {}
    c, _ = remez(F, W, a, b, n, dict(given))
    candidates = [[mp.mpf(rnd(v)) for v in c]]
    for order in (range(n, -1, -1), range(n + 1)):
        fixed = dict(given)
        try:
            for k in (k for k in order if k not in given):
                c, _ = remez(F, W, a, b, n, fixed)
                fixed[k] = mp.mpf(rnd(c[k]))
            candidates.append([fixed[k] for k in range(n + 1)])
        except ZeroDivisionError:
            pass
    scored = [(weighted_error(F, W, a, b, c), c) for c in candidates]
    e, best = min(scored, key=lambda ec: ec[0])
    return [rnd(v) for v in best], e


def show(name, coeffs, err, fmt):
    print(f'# {name}: max weighted error {mp.nstr(err, 4)} (2^{mp.nstr(mp.log(err, 2), 4) if err else "-inf"})')
    for k, v in enumerate(coeffs):
        if fmt == 'f':
            print(f'  c{k} = {float(v).hex()} = {repr(to_f32(v))}f')
        else:
            print(f'  c{k} = {float(v).hex()} = {repr(float(v))}')


# ---------------------------------------------------------------- float32 fits (FMath / VMath)

def fit_exp():
    # e^r = 1 + r + r^2 Q(r), |r| <= ln2/2 (+ margin for k rounded from a float product)
    F = lambda r: (mp.exp(r) - 1 - r) / r ** 2 if r != 0 else mp.mpf(1) / 2
    W = lambda r: r ** 2 / mp.exp(r)
    return fit_rounded(F, W, -0.3470, 0.3470, 4, to_f32)


def fit_log():
    # log1p(f) = f - f^2/2 + s (f^2/2 + z P(z)), s = f/(2+f), z = s^2 (the identity 2 atanh(s) = log1p(f));
    # z P(z) = 2 atanh(s)/s - 2; the error of s z P(z) relative to log1p(f) ~ 2s is about z/2 |dP|
    F = lambda z: (2 * mp.atanh(mp.sqrt(z)) / mp.sqrt(z) - 2) / z if z != 0 else mp.mpf(2) / 3
    W = lambda z: z / 2
    smax = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1)  # f in [sqrt(1/2)-1, sqrt(2)-1]
    return fit_rounded(F, W, 0, smax ** 2 * 1.02, 2, to_f32)


def fit_tanh():
    # tanh(x) = x + x z P(z), z = x^2, |x| < 0.625; error relative to tanh(x)
    F = lambda z: (mp.tanh(mp.sqrt(z)) / mp.sqrt(z) - 1) / z if z != 0 else mp.mpf(-1) / 3
    W = lambda z: z * mp.sqrt(z) / mp.tanh(mp.sqrt(z)) if z != 0 else mp.mpf(0)
    return fit_rounded(F, W, 0, mp.mpf('0.625') ** 2, 4, to_f32)


def fit_erf_small(T, n, rnd):
    # erf(x) = x + x Q(z), z = x^2, |x| < T; error relative to erf(x)
    F = lambda z: mp.erf(mp.sqrt(z)) / mp.sqrt(z) - 1 if z != 0 else 2 / mp.sqrt(mp.pi) - 1
    W = lambda z: mp.sqrt(z) / mp.erf(mp.sqrt(z)) if z != 0 else mp.sqrt(mp.pi) / 2
    return fit_rounded(F, W, 0, mp.mpf(T) ** 2, n, rnd)


def erfcx(a):
    """erfc(a)·e^{a²}, the slowly varying factor of erfc."""
    return mp.erfc(a) * mp.exp(a * a)


def fit_erfc_mid(lo, hi, n, rnd):
    # erfc(a) = e^{-a²} G(a - c), lo <= a <= hi, error relative to erfc(a). The centre c is the
    # float near the middle whose G(c) = erfcx(c) is closest to a representable number, so the
    # constant term is (nearly) exact; a - c is exact by Sterbenz's lemma (c/2 <= a <= 2c).
    lo, hi = mp.mpf(lo), mp.mpf(hi)
    mid = (lo + hi) / 2

    def rounding_error(c):
        g = erfcx(c)
        return abs(mp.mpf(rnd(g)) - g) / g
    cands = [mp.mpf(to_f32(mid)) + k * mp.mpf(2) ** -12 for k in range(-200, 201)]
    c = min((x for x in cands if x / 2 <= lo and hi <= 2 * x), key=rounding_error)
    F = lambda s: erfcx(s + c)
    W = lambda s: 1 / F(s)
    coeffs, err = fit_rounded(F, W, lo - c, hi - c, n, rnd, {0: mp.mpf(rnd(erfcx(c)))})
    print(f'# centre c = {float(c).hex()} = {repr(float(c))}; G(c) rounding error 2^{mp.nstr(mp.log(rounding_error(c), 2), 4)}')
    return coeffs, err


def fit_erfc_tail_inv(lo, hi, n, rnd):
    # erfc(a) = e^{-a²} u P(u), u = 1/a, lo <= a <= hi; error relative to erfc(a)
    F = lambda u: erfcx(1 / u) / u
    W = lambda u: 1 / F(u)
    return fit_rounded(F, W, 1 / mp.mpf(hi), 1 / mp.mpf(lo), n, rnd)


def fit_erfc_tail_t(lo, hi, p, n, rnd):
    # erfc(a) = e^{-a²} t P(t), t = 1/(1 + p a), lo <= a <= hi; error relative to erfc(a)
    a_of = lambda t: (1 / t - 1) / p
    F = lambda t: erfcx(a_of(t)) / t
    W = lambda t: 1 / F(t)
    return fit_rounded(F, W, 1 / (1 + mp.mpf(hi) * p), 1 / (1 + mp.mpf(lo) * p), n, rnd)


def reference_table(path):
    """x, erf(x), erfc(x) as hex doubles (60-digit mpmath, rounded once) for DMathTest."""
    import random
    rng = random.Random(20240611)
    xs = set()
    for i in range(-600, 601):  # a grid over [-30, 30]
        xs.add(i / 20)
    for _ in range(1500):  # random magnitudes 2^-40 .. 2^5, both signs
        xs.add(rng.choice((-1, 1)) * 2 ** rng.uniform(-40, 5))
    for _ in range(1000):  # uniform over the fitted ranges and the tail
        xs.add(rng.uniform(-28, 28))
    for b in (1.0, 2.5, 27.5):  # both sides of the piece boundaries
        for _ in range(60):
            xs.add(rng.choice((-1, 1)) * (b + rng.uniform(-1e-3, 1e-3)))
    with open(path, 'w') as out:
        out.write('# x erf(x) erfc(x), hex doubles, mpmath 60 digits (python3 docs/math-fit.py table)\n')
        for x in sorted(xs):
            mx = mp.mpf(x)
            out.write(f'{float(x).hex()} {float(mp.erf(mx)).hex()} {float(mp.erfc(mx)).hex()}\n')


def main():
    which = sys.argv[1:] or ['exp', 'log', 'tanh', 'erf', 'derf']
    if 'exp' in which:
        show('FMath.exp: e^r = 1 + r + r^2 Q(r)', *fit_exp(), 'f')
    if 'log' in which:
        show('FMath.log: P(z)', *fit_log(), 'f')
    if 'tanh' in which:
        show('FMath.tanh: P(z)', *fit_tanh(), 'f')
    if 'erf' in which:
        show('FMath.erf small: Q(z), |x| < 0.75', *fit_erf_small('0.75', 5, to_f32), 'f')
        show('FMath.erfc mid: G(a - c), 0.75 <= a <= 2', *fit_erfc_mid('0.75', '2', 9, to_f32), 'f')
        show('FMath.erfc tail: P(u), u = 1/a, 2 <= a <= 10.5', *fit_erfc_tail_inv('2', '10.5', 8, to_f32), 'f')
    if 'derf' in which:
        show('DMath.erf small: Q(z), |x| < 1', *fit_erf_small('1', 12, to_f64), 'd')
        show('DMath.erfc mid: G(a - c), 1 <= a <= 2.5', *fit_erfc_mid('1', '2.5', 18, to_f64), 'd')
        show('DMath.erfc tail: P(t), t = 1/(1 + 0.3a), 2.5 <= a <= 27.5',
             *fit_erfc_tail_t('2.5', '27.5', mp.mpf('0.3'), 16, to_f64), 'd')
    if 'table' in which:
        reference_table('tensor/src/test/resources/jcipa/tensor/math/erf-mpmath.txt')


if __name__ == '__main__':
    main()
