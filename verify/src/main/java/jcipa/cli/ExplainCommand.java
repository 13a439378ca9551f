package jcipa.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code cipa explain}: small worked examples of the math jcipa computes (see docs/ssm-math.md). */
@Command(name = "explain", mixinStandardHelpOptions = true, subcommands = {ExplainScanCommand.class},
        description = "Worked examples of the math jcipa computes, step by step (see docs/ssm-math.md).")
final class ExplainCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }
}
