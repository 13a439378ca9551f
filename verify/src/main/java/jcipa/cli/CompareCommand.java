package jcipa.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jcipa.verify.ModelGolden;
import jcipa.verify.TensorCompare;
import jcipa.verify.TensorFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cipa compare A B}: two tensor files, name by name, B the reference. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two tensor files (safetensors or .npz) name by name, B as the reference: max |A-B| and that",
                "relative to max|B| (verify's table), float32 ulp histograms, the first diverging module in forward order",
                "(traced from the CIPA model the metadata describes, else file order), names only in one file.",
                "Exit status 0 when every common tensor is within the tolerance."})
final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "the file to judge (e.g. another implementation's outputs)")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "the reference file")
    Path b;

    @Option(names = "--tolerance", paramLabel = "T", defaultValue = "" + ModelGolden.TOL_MODULE,
            description = "relative tolerance, max|A-B| / max|B| (default: ${DEFAULT-VALUE}, verify's module tolerance)")
    double tolerance;

    @Override
    public Integer call() throws Exception {
        for (Path p : new Path[] {a, b}) {
            if (!Files.isRegularFile(p)) {
                System.err.println("cipa compare: cannot read " + p + ": no such file");
                return 2;
            }
        }
        try (TensorFile fa = TensorFile.open(a); TensorFile fb = TensorFile.open(b)) {
            TensorCompare.Result r = TensorCompare.compare(fa, fb, tolerance);
            r.print(System.out);
            if (r.rows().isEmpty()) System.out.println("nothing compared: the files have no tensor name in common");
            return r.passed() ? 0 : 1;
        } catch (IOException e) {
            System.err.println("cipa compare: " + e.getMessage());
            return 2;
        }
    }
}
