package jcipa.cli;

import java.util.concurrent.Callable;

import jcipa.tensor.parallel.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The model commands alone ({@code verify}, {@code bench}, {@code env}), for a slim jlink runtime
 * without java.desktop (the image commands need it): {@code java -cp ... jcipa.cli.SlimMain verify
 * --device cuda FILE}. Same options and behaviour as {@link Main}'s commands.
 */
@Command(name = "cipa", mixinStandardHelpOptions = true, version = "jcipa 0.1.0",
        description = "jcipa model commands (verify, bench) for slim runtimes.",
        subcommands = {VerifyCommand.class, BenchCommand.class, Main.EnvCommand.class, CommandLine.HelpCommand.class})
public final class SlimMain implements Callable<Integer> {

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

    public static void main(String[] args) {
        System.exit(new CommandLine(new SlimMain()).execute(args));
    }
}
