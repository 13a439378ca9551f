package jcipa.cli;

import java.util.concurrent.Callable;

import jcipa.tensor.kernels.Simd;
import jcipa.tensor.parallel.Parallel;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ./cipa} launcher: parses the global options and runs a subcommand. */
@Command(name = "cipa", mixinStandardHelpOptions = true, version = "jcipa 0.1.0",
        description = "jcipa: a pure-Java CPU reference implementation of CIPA (Mamba PET-CT segmentation).",
        subcommands = {VerifyCommand.class, BenchCommand.class, GoldenCommand.class, CompareCommand.class, InfoCommand.class, ExplainCommand.class, FeaturesCommand.class, SegmentCommand.class,
                EvalCommand.class, TrainCommand.class, DemoCommand.class, PhantomsCommand.class,
                Main.EnvCommand.class, CommandLine.HelpCommand.class})
public final class Main extends CommandRoot {

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
