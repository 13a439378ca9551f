package jcipa.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jcipa.data.phantom.PhantomSet;
import jcipa.tensor.parallel.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cipa phantoms}: a synthetic PET-CT data set in the PCLT20K layout, for training and testing without patient data. */
@Command(name = "phantoms", mixinStandardHelpOptions = true,
        description = {"Write synthetic thorax PET-CT slices with tumour masks in the PCLT20K layout.",
                "<out>/<case>/<name>_CT.png, _PET.png, _mask.png (8-bit grayscale) and <out>/train.txt, test.txt",
                "(split by case, about 80/20). Cases are " + PhantomSet.SLICES_PER_CASE + " consecutive slices of one body;"
                        + " each slice has 0-2 tumours,",
                "bright in PET and mostly inside the lungs. The same --seed gives the same files, bit for bit."})
final class PhantomsCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", paramLabel = "N", defaultValue = "300", description = "number of slices (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--size", paramLabel = "S", defaultValue = "128", description = "image side in pixels, at least 8 (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--seed", paramLabel = "K", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "output folder, created if needed")
    Path out;

    @Option(names = "--overwrite", description = "write into a folder that is not empty (without it, nothing is written)")
    boolean overwrite;

    @Override
    public Integer call() {
        if (n < 1) throw usage("--n must be at least 1, got " + n);
        if (size < 8) throw usage("--size must be at least 8, got " + size);
        if (Files.exists(out) && !Files.isDirectory(out)) throw usage("--out " + out + " exists and is not a folder; nothing was written");
        PhantomSet.Summary s;
        try {
            s = PhantomSet.write(out, n, size, seed, overwrite, Parallel.threads());
        } catch (IOException e) {
            throw usage(e.getMessage());
        }
        System.out.printf("wrote %d phantom slices of %dx%d in %d cases to %s: %d train, %d test; %d tumours, %d slices without one%n",
                s.slices(), size, size, s.cases(), out, s.train().size(), s.test().size(), s.tumours(), s.emptySlices());
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
