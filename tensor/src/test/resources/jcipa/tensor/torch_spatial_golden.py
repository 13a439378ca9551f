# Small PyTorch CPU golden data for jcipa's conv / pooling / bilinear tests (see TorchSpatialGolden.java).
# Record format (little endian): u16 keylen, key utf8, u8 narrays, per array: u8 dtype ('f','d','q'), u8 ndim, i32 dims, data.
import struct, sys, torch, torch.nn.functional as F
torch.set_num_threads(4)
out = open(sys.argv[1], 'wb')
def arr(t):
    t = t.detach().contiguous().cpu()
    code = {torch.float32: b'f', torch.float64: b'd', torch.int64: b'q'}[t.dtype]
    return code + struct.pack('<B', t.dim()) + b''.join(struct.pack('<i', d) for d in t.shape) + t.numpy().tobytes()
def rec(key, *ts):
    k = key.encode(); out.write(struct.pack('<H', len(k)) + k + struct.pack('<B', len(ts)))
    for t in ts: out.write(arr(t))
g = torch.Generator().manual_seed(2024)
def rnd(*s): return torch.randn(*s, generator=g, dtype=torch.float32)
def leaf(t, dt): return t.detach().clone().to(dt).requires_grad_(True)
# conv2d: float64 results
for (N, Cin, H, W, Cout, kh, kw, sh, sw, ph, pw, gr, bias) in [
    (2,3,7,6,5,3,3,1,1,1,1,1,1),(1,6,9,10,6,3,3,1,1,1,1,6,1),(2,4,11,7,6,3,2,2,1,1,0,2,1),
    (1,3,16,16,8,4,4,4,4,0,0,1,1),(2,8,5,5,3,1,1,1,1,0,0,1,0),(1,4,7,7,4,3,3,2,2,1,1,2,0),
    (1,6,8,9,4,3,3,2,2,1,1,1,1),(3,1,3,1,2,1,1,1,1,0,0,1,1)]:
    x = rnd(N, Cin, H, W); w = rnd(Cout, Cin//gr, kh, kw); b = rnd(Cout) if bias else None
    Ho = (H + 2*ph - kh)//sh + 1; Wo = (W + 2*pw - kw)//sw + 1
    gy = rnd(N, Cout, Ho, Wo)
    xx, ww = leaf(x, torch.float64), leaf(w, torch.float64); bb = leaf(b, torch.float64) if bias else None
    y = F.conv2d(xx, ww, bb, (sh, sw), (ph, pw), 1, gr); y.backward(gy.double())
    rec(f'conv {N} {Cin} {H} {W} {Cout} {kh} {kw} {sh} {sw} {ph} {pw} {gr} {bias}', x, w, *([b] if bias else []), gy,
        y, xx.grad, ww.grad, *([bb.grad] if bias else []))
# bilinear: float32 and float64 forward and backward
def bil(x, gy, **kw):
    res = []
    for dt in (torch.float32, torch.float64):
        xx = leaf(x, dt); y = F.interpolate(xx, mode='bilinear', align_corners=False, **kw); y.backward(gy.to(dt)); res += [y, xx.grad]
    return res
for (C, H, W, Ho, Wo) in [(5,2,2,4,4),(19,5,7,13,3),(5,17,3,4,9),(19,7,9,7,20),(5,9,13,5,6),(3,3,3,3,3),(5,1,5,4,1),
                          (1,16,16,70,70),(1,8,8,40,89),(19,8,8,24,40),(2,20,10,7,150)]:
    x = rnd(1, C, H, W); gy = rnd(1, C, Ho, Wo)
    rec(f'bilinear_size {H} {W} {Ho} {Wo}', x, gy, *bil(x, gy, size=(Ho, Wo)))
for (C, H, W, sh, sw) in [(19,5,7,2.0,2.0),(5,17,9,0.5,0.5),(5,10,11,1.7,1.7),(5,7,5,3.3,3.3),(5,6,6,1.0,1.0),(5,33,21,0.3,0.3),
                          (5,12,8,2.5,1.5),(5,13,7,1.1,0.9),(1,20,30,4.0,4.0),(1,50,40,1.3,1.9)]:
    x = rnd(1, C, H, W); gy = rnd(1, C, int(H*sh), int(W*sw))
    rec(f'bilinear_scale {H} {W} {sh!r} {sw!r}', x, gy, *bil(x, gy, scale_factor=(sh, sw)))
# avg_pool2d
for (H, W, k, s) in [(17,13,2,2),(17,13,3,2),(16,16,4,4),(9,11,3,1),(5,7,1,1)]:
    x = rnd(2, 3, H, W); gy = rnd(2, 3, (H-k)//s+1, (W-k)//s+1); res = []
    for dt in (torch.float32, torch.float64):
        xx = leaf(x, dt); y = F.avg_pool2d(xx, k, s); y.backward(gy.to(dt)); res += [y, xx.grad]
    rec(f'avgpool {H} {W} {k} {s}', x, gy, *res)
# adaptive pools to 1x1
for (C, H, W, ties) in [(3,17,13,0),(4,6,7,1),(2,1,1,0),(3,31,33,1)]:
    x = rnd(2, C, H, W)
    if ties: x = torch.round(x * 1.5)
    gy = rnd(2, C, 1, 1); res = []
    for dt in (torch.float32, torch.float64):
        xx = leaf(x, dt); y = F.adaptive_avg_pool2d(xx, 1); y.backward(gy.to(dt)); res += [y, xx.grad]
    xx = leaf(x, torch.float32); y, idx = F.adaptive_max_pool2d(xx, 1, return_indices=True); y.backward(gy); res += [y, idx, xx.grad]
    rec(f'adaptive {C} {H} {W}', x, gy, *res)
x = rnd(1, 2, 3, 4); x[0,0,1,1] = float('nan'); x[0,0,2,0] = float('nan'); x[0,1,0,2] = float('inf')
y, idx = F.adaptive_max_pool2d(x, 1, return_indices=True)
rec('adaptive_max_nan 2 3 4', x, y, idx)
out.close()
print('torch', torch.__version__, torch.backends.cpu.get_cpu_capability())
