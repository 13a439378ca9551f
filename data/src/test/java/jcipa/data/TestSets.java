package jcipa.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small PCLT20K-layout data sets written into a temporary directory for tests. */
final class TestSets {
    private TestSets() {}

    static U8Image random(int w, int h, SplittableRandom r) {
        byte[] px = new byte[w * h];
        for (int i = 0; i < px.length; i++) px[i] = (byte) r.nextInt(256);
        return new U8Image(w, h, px);
    }

    /** A smooth image with a bright disc, so interpolation is exercised on realistic content. */
    static U8Image smooth(int w, int h, SplittableRandom r) {
        byte[] px = new byte[w * h];
        double cx = r.nextDouble(w), cy = r.nextDouble(h), rad = 2 + r.nextDouble(Math.min(w, h) / 3.0);
        double fx = r.nextDouble(0.05, 0.4), fy = r.nextDouble(0.05, 0.4);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double v = 100 + 60 * Math.sin(fx * x) * Math.cos(fy * y) + (Math.hypot(x - cx, y - cy) < rad ? 80 : 0);
                px[y * w + x] = (byte) Math.max(0, Math.min(255, (int) v));
            }
        return new U8Image(w, h, px);
    }

    static void write(Path root, Sample s) throws IOException {
        Pclt20k ds = Pclt20k.open(Files.createDirectories(root));
        Files.createDirectories(ds.ct(s.name()).getParent());
        Png8.write(ds.ct(s.name()), s.ct());
        Png8.write(ds.pet(s.name()), s.pet());
        if (s.mask() != null) Png8.write(ds.mask(s.name()), s.mask());
    }

    /** {@code n} random square slices over a few cases, all listed in train.txt. */
    static List<String> randomSet(Path root, int n, int side, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "case" + (i % 3) + "_" + i;
            U8Image mask = random(side, side, r);
            write(root, new Sample(name, smooth(side, side, r), smooth(side, side, r), mask));
            names.add(name);
        }
        Files.write(root.resolve("train.txt"), names);
        return names;
    }
}
