package jcipa.cli;

import java.util.concurrent.Callable;

import jcipa.tensor.parallel.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What every top-level {@code cipa} command line shares: the global {@code --threads} and usage when no subcommand is named. */
abstract class CommandRoot implements Callable<Integer> {

    /** Global: worker threads for every parallel kernel (results never depend on it). */
    @Option(names = "--threads", scope = CommandLine.ScopeType.INHERIT, paramLabel = "N",
            description = "worker threads (default: all cores); results are bit-identical for any N")
    void threads(int n) {
        if (n < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be at least 1, got " + n);
        Parallel.setThreads(n);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }
}
