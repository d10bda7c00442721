package dev.ringway.control;

import dev.ringway.control.cli.DemoCommand;
import dev.ringway.control.cli.EchoCommand;
import dev.ringway.control.cli.RunCommand;
import dev.ringway.control.cli.ValidateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ringway} command line. */
@Command(name = "ringway", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Ringway: a Kubernetes Gateway API gateway (Netty data plane, Pekko control plane).",
        subcommands = {DemoCommand.class, RunCommand.class, ValidateCommand.class, EchoCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure (invalid configuration, cannot start), 2 bad usage."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (dev.ringway.control.spi.CliExtension ext : dev.ringway.control.spi.CliExtension.load()) {
            for (Object command : ext.subcommands()) {
                cl.addSubcommand(command);
            }
        }
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("ringway: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parse) -> {
            c.getErr().println("ringway: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"ringway " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
