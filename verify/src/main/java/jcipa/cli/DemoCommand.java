package jcipa.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jcipa.api.Demo;
import jcipa.api.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cipa demo}: see {@link Demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Segment the bundled held-out phantom slices (demo/phantoms) with the bundled weights (demo/weights.safetensors,",
                "trained with cipa train on other phantoms), print IoU/F1/Acc/HD95 as pred.py computes them, write overlays,",
                "and check the selective scan, the mini model's forward pass and the metrics against the bundled goldens (quick: no gradients)."})
final class DemoCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--bundle", defaultValue = "demo", paramLabel = "DIR", description = "the demo bundle (default: ${DEFAULT-VALUE})")
    Path bundle;

    @Option(names = "--golden", defaultValue = "golden", paramLabel = "DIR", description = "golden files (default: ${DEFAULT-VALUE})")
    Path golden;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--overwrite", description = "replace the results of an earlier demo in --out")
    boolean overwrite;

    @Override
    public Integer call() {
        PrintStream log = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Demo.Result r;
        try {
            r = Demo.run(bundle, golden, out, overwrite, new ProgressBar(System.err, "demo"), log);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        log.println(r.conforms() ? "conformance: all checks passed" : "conformance: FAILED (run ./cipa verify golden/*.safetensors for the table)");
        return r.conforms() ? 0 : 1;
    }
}
