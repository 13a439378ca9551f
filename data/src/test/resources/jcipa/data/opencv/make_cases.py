# Writes OpenCV reference cases for jcipa's WarpLinear/CubicResize/PerspectiveTransform (OpenCvReferenceTest).
# Run with a Python that has OpenCV and numpy: python3 make_cases.py <this folder>. The warps use the
# official CIPA parameterisation (shift-scale-aspect, rotation 0) restated here, not copied.
# Each case: <name>.txt (parameters), <name>_src.bin, <name>_dst.bin (uint8, row-major, interleaved channels).
import sys, os, numpy as np, cv2
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261126)

def image(h, w, cn):
    y, x = np.mgrid[0:h, 0:w]
    chans = []
    for c in range(cn):
        fx, fy = rng.uniform(0.05, 0.5, 2)
        v = 110 + 70 * np.sin(fx * x + c) * np.cos(fy * y) + rng.normal(0, 12, (h, w))
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(1, max(2, min(h, w) / 3))
        v += 90 * (np.hypot(x - cx, y - cy) < r)
        chans.append(np.clip(np.round(v), 0, 255).astype(np.uint8))
    return chans[0] if cn == 1 else np.stack(chans, 2)

lines = []
k = 0
# warps with the official parameterisation
for (side, cn, reps) in [(64, 2, 2), (64, 1, 2), (100, 2, 2), (37, 1, 2), (512, 1, 1), (48, 2, 2), (80, 1, 2)]:
    for rep in range(reps):
        img = image(side, side, cn)
        scale = rng.uniform(0.9, 1.1); aspect = rng.uniform(0.9, 1.1)
        sx = scale * aspect / (aspect ** 0.5)
        dx = round(rng.uniform(-0.1, 0.1) * side); dy = round(rng.uniform(-0.1, 0.1) * side)
        box0 = np.array([[0, 0], [side, 0], [side, side], [0, side]])
        box1 = box0 - np.array([side / 2, side / 2])
        rot = np.array([[sx, -0.0], [0.0, sx]])
        box1 = np.dot(box1, rot.T) + np.array([side / 2 + dx, side / 2 + dy])
        mat = cv2.getPerspectiveTransform(box0.astype(np.float32), box1.astype(np.float32))
        dst = cv2.warpPerspective(img, mat, (side, side), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
        name = "warp%02d" % k; k += 1
        img.tofile(os.path.join(out, name + "_src.bin")); dst.tofile(os.path.join(out, name + "_dst.bin"))
        lines.append("%s warp %d %d %d %s %s %d %d %s" % (name, side, side, cn, repr(float(scale)), repr(float(aspect)), dx, dy,
                     " ".join(repr(float(v)) for v in mat.ravel())))
# cubic resizes: crops back to full size, and some odd sizes (vector tails)
for (sw, sh, dw, dh, cn) in [(45, 45, 64, 64, 2), (51, 51, 64, 64, 1), 
                             (13, 9, 21, 17, 1), (10, 10, 13, 13, 2), (30, 30, 20, 20, 1), (7, 5, 29, 3, 2), (90, 90, 128, 128, 2)]:
    img = image(sh, sw, cn)
    dst = cv2.resize(img, (dw, dh), interpolation=cv2.INTER_CUBIC)
    name = "cubic%02d" % k; k += 1
    img.tofile(os.path.join(out, name + "_src.bin")); dst.tofile(os.path.join(out, name + "_dst.bin"))
    lines.append("%s cubic %d %d %d %d %d" % (name, sw, sh, cn, dw, dh))
# the whole chain on a PET/CT stack and its mask with given choices: warp, flip, square crop resized back
for (side, warp, flip, crop) in [(64, 1, 1, 1), (64, 1, 0, 1), (64, 0, 1, 1), (96, 1, 1, 0), (80, 1, 1, 1)]:
    pet, ct, mask = image(side, side, 1), image(side, side, 1), image(side, side, 1)
    stack = np.stack([pet, ct], 2)
    m = mask
    scale = rng.uniform(0.9, 1.1); aspect = rng.uniform(0.9, 1.1)
    dx = round(rng.uniform(-0.1, 0.1) * side); dy = round(rng.uniform(-0.1, 0.1) * side)
    rate = rng.uniform(0.7, 0.9); cs = int(side * rate)
    cy = int(rng.integers(0, side - cs + 1)); cx = int(rng.integers(0, side - cs + 1))
    if warp:
        sx = scale * aspect / (aspect ** 0.5)
        box0 = np.array([[0, 0], [side, 0], [side, side], [0, side]])
        box1 = np.dot(box0 - np.array([side / 2, side / 2]), np.array([[sx, -0.0], [0.0, sx]]).T) + np.array([side / 2 + dx, side / 2 + dy])
        mat = cv2.getPerspectiveTransform(box0.astype(np.float32), box1.astype(np.float32))
        stack = cv2.warpPerspective(stack, mat, (side, side), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
        m = cv2.warpPerspective(m, mat, (side, side), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    if flip:
        stack, m = cv2.flip(stack, 1), cv2.flip(m, 1)
    if crop:
        stack = cv2.resize(stack[cy:cy + cs, cx:cx + cs, :], (side, side), interpolation=cv2.INTER_CUBIC)
        m = cv2.resize(m[cy:cy + cs, cx:cx + cs], (side, side), interpolation=cv2.INTER_CUBIC)
    name = "chain%02d" % k; k += 1
    np.concatenate([pet.ravel(), ct.ravel(), mask.ravel()]).tofile(os.path.join(out, name + "_src.bin"))
    np.concatenate([np.ascontiguousarray(stack[:, :, 0]).ravel(), np.ascontiguousarray(stack[:, :, 1]).ravel(), m.ravel()]).tofile(os.path.join(out, name + "_dst.bin"))
    lines.append("%s chain %d %d %s %s %d %d %d %s %d %d %d %d" % (name, side, warp, repr(float(scale)), repr(float(aspect)), dx, dy, flip,
                 repr(float(rate)), crop, cx, cy, cs))
with open(os.path.join(out, "cases.txt"), "w") as f:
    f.write("# made by OpenCV %s (numpy %s)\n" % (cv2.__version__, np.__version__))
    f.write("\n".join(lines) + "\n")
print("wrote", len(lines), "cases with OpenCV", cv2.__version__)
