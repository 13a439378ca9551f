package jcipa.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import jcipa.verify.Check;
import jcipa.verify.Report;
import jcipa.verify.ReportHtml;
import jcipa.verify.ReportJson;
import jcipa.verify.Verifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cipa verify FILE...}: checks this implementation against golden files of the shared format. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check this implementation against golden files of the shared format: selective-scan and model files (safetensors or .npz), architectures.json.")
final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "golden files (.safetensors or the same tensors as .npz; architectures.json)")
    List<Path> files = new ArrayList<>();

    @CommandLine.Mixin DeviceOption device = new DeviceOption();

    @Option(names = "--require-all", description = "count every part that cannot be checked yet as a failure")
    boolean requireAll;

    @Option(names = "--report", paramLabel = "FILE", description = "also write the table to FILE: .json (machine-readable) or .html (a page with error bars); may be repeated")
    List<Path> reports = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Integer noDevice = device.apply();
        if (noDevice != null) return noDevice;
        for (Path r : reports) {
            String n = r.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!n.endsWith(".json") && !n.endsWith(".html") && !n.endsWith(".htm"))
                throw new CommandLine.ParameterException(spec.commandLine(), "--report " + r + ": the name must end in .json or .html");
        }
        List<Report> all = new ArrayList<>();
        long passed = 0, failed = 0, unchecked = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                System.out.println("== " + f);
                System.out.println("cannot read " + f + ": no such file");
                Report missing = new Report(f.toString());
                missing.add(new Check("-", f.getFileName().toString(), "-", null, null, Double.NaN, false, Check.Status.FAIL, "no such file"));
                all.add(missing);
                failed++;
                continue;
            }
            Report r = Verifier.verify(f);
            r.print(System.out);
            all.add(r);
            passed += r.count(Check.Status.PASS);
            failed += r.count(Check.Status.FAIL);
            unchecked += r.count(Check.Status.NOT_CHECKED);
        }
        if (requireAll) failed += unchecked;
        if (unchecked > 0) System.out.println(unchecked + " part(s) not checked" + (requireAll ? " (counted as failed: --require-all)" : ""));
        System.out.println(passed + " passed, " + failed + " failed");
        for (Path r : reports) {
            byte[] bytes = r.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                    ? ReportJson.render(all) : ReportHtml.render(all).getBytes(StandardCharsets.UTF_8);
            Files.write(r, bytes);
            System.out.println("report: " + r);
        }
        return failed == 0 ? 0 : 1;
    }
}
