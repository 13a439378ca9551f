package jcipa.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import jcipa.api.EvalOutput;
import jcipa.api.Evaluation;
import jcipa.api.ProgressBar;
import jcipa.api.Segmenter;
import jcipa.data.Pclt20k;
import jcipa.data.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cipa eval}: a data-set split scored as pred.py scores it ({@link Evaluation}). */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Segment every slice of a split of a PCLT20K-layout folder and score it as pred.py does: IoU, F1 (pred.py's Dice)",
                "and Acc from the confusion counts summed over the split, HD95 averaged over the slices.",
                "Writes <out>/metrics.csv (per slice), <out>/summary.txt (the table) and <out>/worst.png (the worst cases)."})
final class EvalCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "PCLT20K-layout folder")
    Path data;

    @Option(names = "--weights", required = true, paramLabel = "W", description = "CIPA weights (.pth or safetensors)")
    Path weights;

    @Option(names = "--split", defaultValue = "test", description = "split file <data>/<split>.txt (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--out", defaultValue = "eval-out", paramLabel = "DIR", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--overwrite", description = "replace results already in --out")
    boolean overwrite;

    @Option(names = "--skip-bad", description = "go on past unreadable or mis-sized slices, and list them")
    boolean skipBad;

    @Option(names = "--worst", defaultValue = "8", paramLabel = "N", description = "cases in the gallery (default: ${DEFAULT-VALUE})")
    int worst;

    @CommandLine.Mixin DeviceOption device = new DeviceOption();

    @Override
    public Integer call() throws IOException {
        Integer noDevice = device.apply();
        if (noDevice != null) return noDevice;
        PrintStream log = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Pclt20k ds;
        List<String> names;
        Segmenter segmenter;
        try {
            EvalOutput.checkWritable(out, overwrite);
            ds = Pclt20k.open(data);
            names = ds.split(split);
            if (!skipBad) {
                List<Problem> problems = ds.check(names);
                if (!problems.isEmpty()) {
                    StringBuilder b = new StringBuilder(split + ".txt has " + problems.size() + " bad slice(s) (pass --skip-bad to evaluate the rest):");
                    for (Problem p : problems.subList(0, Math.min(10, problems.size()))) b.append("\n  ").append(p);
                    if (problems.size() > 10) b.append("\n  ... and ").append(problems.size() - 10).append(" more");
                    throw new IOException(b.toString());
                }
            }
            segmenter = Segmenter.load(weights);
        } catch (IOException e) {
            throw usage(e.getMessage());
        }
        Evaluation ev;
        try {
            ev = Evaluation.run(segmenter, ds, names, skipBad, new ProgressBar(System.err, "eval"));
        } catch (IOException e) {
            throw usage(e.getMessage());
        }
        log.printf("%s on %s (%s)%n", segmenter.config(), data.resolve(split + ".txt"), weights);
        log.print(ev.table());
        for (Problem p : ev.skipped()) log.println("skipped " + p.name() + ": " + p.reason());
        EvalOutput.write(out, overwrite, ev, segmenter, ds, worst);
        for (Path f : EvalOutput.files(out)) log.println("wrote " + f);
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
