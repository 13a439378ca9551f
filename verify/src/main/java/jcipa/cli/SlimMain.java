package jcipa.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The model commands alone ({@code verify}, {@code bench}, {@code env}), for a slim jlink runtime
 * without java.desktop (the image commands need it): {@code java -cp ... jcipa.cli.SlimMain verify
 * --device cuda FILE}. Same options and behaviour as {@link Main}'s commands.
 */
@Command(name = "cipa", mixinStandardHelpOptions = true, version = "jcipa 0.1.0",
        description = "jcipa model commands (verify, bench) for slim runtimes.",
        subcommands = {VerifyCommand.class, BenchCommand.class, Main.EnvCommand.class, CommandLine.HelpCommand.class})
public final class SlimMain extends CommandRoot {

    public static void main(String[] args) {
        System.exit(new CommandLine(new SlimMain()).execute(args));
    }
}
