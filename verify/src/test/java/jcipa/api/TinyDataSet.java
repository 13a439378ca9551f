package jcipa.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jcipa.data.Png8;
import jcipa.data.U8Image;

/** A few synthetic PCLT20K-layout slices: a body disc on CT, a hot blob on PET, the blob as mask. */
final class TinyDataSet {
    private TinyDataSet() {}

    /** Writes {@code train} + {@code test} slices of side {@code size} under {@code root}; returns root. */
    static Path write(Path root, int train, int test, int size) throws IOException {
        List<String> tr = new ArrayList<>(), te = new ArrayList<>();
        for (int i = 0; i < train + test; i++) {
            String name = "P" + (i % 2) + "_" + i;
            Path dir = Files.createDirectories(root.resolve("P" + (i % 2)));
            byte[] ct = new byte[size * size], pet = new byte[size * size], mask = new byte[size * size];
            int cx = size / 3 + 7 * i % (size / 3), cy = size / 2 + 5 * i % (size / 4), r = 6 + i % 5;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) {
                    double body = Math.hypot(x - size / 2.0, (y - size / 2.0) * 1.3);
                    double d = Math.hypot(x - cx, y - cy);
                    ct[y * size + x] = (byte) (body < size * 0.42 ? 90 + (x * 7 + y * 3 + i) % 40 : 0);
                    pet[y * size + x] = (byte) (d < r ? 230 : body < size * 0.42 ? 30 + (x + y) % 10 : 0);
                    mask[y * size + x] = (byte) (d < r ? 255 : 0);
                }
            Png8.write(dir.resolve(name + "_CT.png"), new U8Image(size, size, ct));
            Png8.write(dir.resolve(name + "_PET.png"), new U8Image(size, size, pet));
            Png8.write(dir.resolve(name + "_mask.png"), new U8Image(size, size, mask));
            (i < train ? tr : te).add(name);
        }
        Files.write(root.resolve("train.txt"), tr);
        Files.write(root.resolve("test.txt"), te);
        return root;
    }
}
