package jcipa.cli;

import java.util.concurrent.Callable;

import jcipa.tensor.kernels.Simd;
import jcipa.tensor.parallel.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of the {@code ./cipa} launcher: parses the global options and runs a subcommand. */
@Command(name = "cipa", mixinStandardHelpOptions = true, version = "jcipa 0.1.0",
        description = "jcipa: a pure-Java CPU reference implementation of CIPA (Mamba PET-CT segmentation).",
        subcommands = {VerifyCommand.class, GoldenCommand.class, CompareCommand.class, InfoCommand.class, BenchCommand.class, ExplainCommand.class, FeaturesCommand.class, SegmentCommand.class,
                Main.EnvCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

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

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit status (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    /** Prints what this JVM offers the kernels. */
    @Command(name = "env", description = "Show the JVM, SIMD width and thread count the kernels use.")
    static final class EnvCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("java    " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
            System.out.println("simd    " + Simd.describe());
            System.out.println("threads " + Parallel.threads() + " (cores: " + Runtime.getRuntime().availableProcessors() + ")");
            return 0;
        }
    }
}
