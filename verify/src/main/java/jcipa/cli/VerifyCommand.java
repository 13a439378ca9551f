package jcipa.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import jcipa.verify.Check;
import jcipa.verify.Report;
import jcipa.verify.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cipa verify FILE...}: checks this implementation against golden files of the shared format. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check this implementation against golden files (selective-scan files so far; the model cases come with the model).")
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "golden files (.safetensors)")
    List<Path> files = new ArrayList<>();

    @Option(names = "--require-all", description = "count every part that cannot be checked yet as a failure")
    boolean requireAll;

    @Override
    public Integer call() throws Exception {
        long passed = 0, failed = 0, unchecked = 0;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                System.out.println("== " + f);
                System.out.println("cannot read " + f + ": no such file");
                failed++;
                continue;
            }
            Report r = Verifier.verify(f);
            r.print(System.out);
            passed += r.count(Check.Status.PASS);
            failed += r.count(Check.Status.FAIL);
            unchecked += r.count(Check.Status.NOT_CHECKED);
        }
        if (requireAll) failed += unchecked;
        if (unchecked > 0) System.out.println(unchecked + " part(s) not checked" + (requireAll ? " (counted as failed: --require-all)" : ""));
        System.out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
