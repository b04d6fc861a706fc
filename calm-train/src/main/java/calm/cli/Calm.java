package calm.cli;

import calm.train.NonFiniteLossException;
import calm.train.Threads;
import calm.train.config.ConfigException;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code calm} command: train, compose and run language models (CALM, arXiv 2401.02412).
 *
 * <p>Exit codes: 0 success, 2 usage or config error, 1 failure at run time. The built-in
 * subcommands are pretrain, compose, finetune, generate and demo; other modules add theirs through
 * {@link CalmSubcommand}.
 */
@Command(name = "calm", mixinStandardHelpOptions = true, versionProvider = Calm.Version.class,
        description = "Compose frozen language models with trained cross-attention (CALM, arXiv 2401.02412).",
        subcommands = {PretrainCommand.class, ComposeCommand.class, FinetuneCommand.class, GenerateCommand.class,
            DemoCommand.class, BenchCommand.class, JobCommand.class, MergeCommand.class},
        footer = {"", "Exit codes: 0 success, 2 usage or config error, 1 failure at run time.",
            "Configs are documented in docs/configs.md."})
public final class Calm implements Callable<Integer> {

    /** Success. */
    public static final int OK = 0;
    /** A failure at run time. */
    public static final int FAILED = 1;
    /** A usage or configuration error. */
    public static final int USAGE = 2;

    private static final Logger LOG = LogManager.getLogger(Calm.class);

    @Spec
    CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        try {
            Threads.Choice threads = Threads.choose();
            if (args.length > 0 && !args[0].startsWith("-") && !args[0].equals("help")) {
                LOG.info("engine: {}", threads.reason());
            }
        } catch (IllegalArgumentException e) {
            System.err.println("calm: " + e.getMessage());
            System.exit(USAGE);
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * @return the {@code calm} command line with the built-in subcommands and every
     *     {@link CalmSubcommand} found on the class path, mapping exceptions to exit codes
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Calm());
        for (CalmSubcommand extra : ServiceLoader.load(CalmSubcommand.class)) {
            commandLine.addSubcommand(extra);
        }
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // Every subcommand's --version (picocli's standard option) prints what `calm --version` does.
        Version version = new Version();
        commandLine.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(version));
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            PrintWriter err = failed.getErr();
            if (exception instanceof ConfigException) {
                err.println("calm: config error: " + exception.getMessage());
                err.flush();
                return USAGE;
            }
            if (exception instanceof NonFiniteLossException) {
                err.println("calm: " + exception.getMessage());
            } else {
                err.println("calm: " + failed.getCommandName() + " failed: " + describe(exception));
                LOG.debug("stack trace", exception);
            }
            err.flush();
            return FAILED;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    private static String describe(Throwable exception) {
        String message = exception.getMessage();
        return message == null || message.isBlank() ? exception.toString() : message;
    }

    /** The version line. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Package calm = Calm.class.getPackage();
            String version = calm.getImplementationVersion() == null ? "development build" : calm.getImplementationVersion();
            return new String[] {"calm " + version + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}
