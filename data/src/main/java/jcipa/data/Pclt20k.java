package jcipa.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The PCLT20K layout: {@code <root>/<case>/<name>_CT.png}, {@code _PET.png}, {@code _mask.png},
 * where the case folder is the part of the slice name before its first {@code _}, and the splits
 * {@code <root>/train.txt} and {@code <root>/test.txt} list one slice name a line.
 */
public final class Pclt20k {
    private final Path root;

    private Pclt20k(Path root) {
        this.root = root;
    }

    /** The data set under {@code root} (which must be a directory). */
    public static Pclt20k open(Path root) throws IOException {
        if (!Files.isDirectory(root)) throw new NoSuchFileException(root.toString(), null, "not a PCLT20K directory");
        return new Pclt20k(root);
    }

    public Path root() {
        return root;
    }

    /** The split file of {@code split} ("train" or "test"). */
    public Path splitFile(String split) {
        return root.resolve(split + ".txt");
    }

    /**
     * The slice names of a split, in file order. Like the official loader, each line is a name; a
     * trailing carriage return or blank lines are dropped rather than becoming bogus names.
     */
    public List<String> split(String split) throws IOException {
        Path f = splitFile(split);
        if (!Files.isRegularFile(f)) throw new NoSuchFileException(f.toString(), null, "missing split file of split '" + split + "'");
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
            String n = line.strip();
            if (!n.isEmpty()) names.add(n);
        }
        return names;
    }

    /** The case folder of a slice: its name up to the first {@code _}. */
    public static String caseOf(String name) {
        int u = name.indexOf('_');
        return u < 0 ? name : name.substring(0, u);
    }

    public Path ct(String name) {
        return file(name, "_CT.png");
    }

    public Path pet(String name) {
        return file(name, "_PET.png");
    }

    public Path mask(String name) {
        return file(name, "_mask.png");
    }

    private Path file(String name, String suffix) {
        return root.resolve(caseOf(name)).resolve(name + suffix);
    }

    /** Reads a slice: CT and PET must exist; the mask is read when present (else null). Sizes must agree. */
    public Sample load(String name) throws IOException {
        U8Image ct = Png8.read(ct(name)), pet = Png8.read(pet(name));
        U8Image mask = Files.exists(mask(name)) ? Png8.read(mask(name)) : null;
        if (!ct.sameSize(pet) || (mask != null && !ct.sameSize(mask)))
            throw new IOException(name + ": PET, CT and mask differ in size: " + sizes(ct, pet, mask));
        return new Sample(name, ct, pet, mask);
    }

    /** Like {@link #load} but the mask must exist (training and evaluation). */
    public Sample loadWithMask(String name) throws IOException {
        Sample s = load(name);
        if (s.mask() == null) throw new NoSuchFileException(mask(name).toString(), null, "missing mask of " + name);
        return s;
    }

    /**
     * Every problem of the listed slices: repeated names, missing case folders or files, files that
     * are not 8-bit grayscale PNGs or do not decode, and PET/CT/mask of different sizes.
     */
    public List<Problem> check(List<String> names) {
        List<Problem> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                problems.add(new Problem(name, "listed more than once"));
                continue;
            }
            if (!Files.isDirectory(root.resolve(caseOf(name)))) {
                problems.add(new Problem(name, "case folder " + root.resolve(caseOf(name)) + " is missing"));
                continue;
            }
            U8Image[] img = new U8Image[3];
            Path[] files = {ct(name), pet(name), mask(name)};
            List<String> bad = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                try {
                    img[i] = Png8.read(files[i]);
                } catch (IOException e) {
                    bad.add(e.getMessage());
                }
            }
            if (!bad.isEmpty()) problems.add(new Problem(name, String.join("; ", bad)));
            else if (!img[0].sameSize(img[1]) || !img[0].sameSize(img[2]))
                problems.add(new Problem(name, "PET, CT and mask differ in size: " + sizes(img[0], img[1], img[2])));
        }
        return problems;
    }

    /** Problems of the two official splits: each split checked, plus slices listed in both. */
    public List<Problem> checkSplits() {
        List<Problem> problems = new ArrayList<>();
        List<List<String>> lists = new ArrayList<>();
        for (String s : List.of("train", "test")) {
            try {
                List<String> names = split(s);
                lists.add(names);
                for (Problem p : check(names)) problems.add(new Problem(p.name(), "(" + s + ".txt) " + p.reason()));
            } catch (IOException e) {
                problems.add(new Problem(s + ".txt", e.getMessage()));
                lists.add(List.of());
            }
        }
        Set<String> train = new HashSet<>(lists.get(0));
        for (String n : lists.get(1)) if (train.contains(n)) problems.add(new Problem(n, "in both train.txt and test.txt"));
        return problems;
    }

    private static String sizes(U8Image ct, U8Image pet, U8Image mask) {
        return "CT " + ct.size() + ", PET " + pet.size() + (mask == null ? "" : ", mask " + mask.size());
    }
}
