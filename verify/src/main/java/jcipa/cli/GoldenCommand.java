package jcipa.cli;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import jcipa.model.CipaConfig;
import jcipa.verify.GoldenWriter;
import jcipa.verify.TensorBundle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cipa golden}: writes a golden file of the shared format from this implementation, for
 * other implementations to check themselves against (and for {@code cipa verify} to round-trip).
 */
@Command(name = "golden", mixinStandardHelpOptions = true,
        description = {"Write a golden file of the shared format from this implementation: generated weights (splitmix64-v1),",
                "seeded inputs, float32 logits and their float64 twin, the loss; optionally module captures and gradients.",
                "Same arguments, same bytes. Prints the file and the sha256 line `cipa verify` prints for it."})
final class GoldenCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin ModelConfigOptions modelOptions = new ModelConfigOptions();





    @Option(names = "--name", paramLabel = "CASE", description = "the case name in the metadata and the weights' salt (default: the configuration's name)")
    String name;

    @Option(names = "--size", paramLabel = "S", defaultValue = "128", description = "input side, a multiple of 128 (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "1", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of the inputs; the weights' salt is <case>-<seed> (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "the file to write (.safetensors or .npz)")
    Path out;

    @Option(names = "--captures", description = "add every module's inputs and outputs (act/<path>#<k>/in<i>|out<i>)")
    boolean captures;

    @Option(names = "--grads", description = "add the loss's gradients in eval mode: grad/param/<name>, grad/input/ct|pet, and grad64/... from the float64 path")
    boolean grads;

    @Option(names = "--format", paramLabel = "FMT", description = "safetensors or npz (default: npz for a .npz name, else safetensors)")
    String format;

    @Option(names = "--overwrite", description = "replace FILE if it exists (without it an existing file is left alone)")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        CipaConfig cfg;
        TensorBundle.Format fmt;
        try {
            cfg = configuration();
            fmt = format == null ? TensorBundle.Format.forName(out) : switch (format.toLowerCase(Locale.ROOT)) {
                case "safetensors" -> TensorBundle.Format.SAFETENSORS;
                case "npz" -> TensorBundle.Format.NPZ;
                default -> throw new IllegalArgumentException("--format must be safetensors or npz, got '" + format + "'");
            };
            if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!overwrite && Files.exists(out)) {
            System.err.println("cipa golden: " + out + " exists; pass --overwrite to replace it");
            return 1;
        }
        long t0 = System.nanoTime();
        String sha;
        try {
            sha = GoldenWriter.write(cfg, new GoldenWriter.Options(batch, seed, captures, grads, fmt, overwrite), out);
        } catch (FileAlreadyExistsException e) {
            System.err.println("cipa golden: " + out + " exists; pass --overwrite to replace it");
            return 1;
        }
        System.out.printf(Locale.ROOT, "wrote %s (%s, %d bytes) in %.1f s%n", out, fmt.name().toLowerCase(Locale.ROOT), Files.size(out), (System.nanoTime() - t0) / 1e9);
        System.out.println("sha256 " + cfg.name() + " " + sha);
        return 0;
    }

    private CipaConfig configuration() {
        return modelOptions.resolve(size, name);
    }
}
