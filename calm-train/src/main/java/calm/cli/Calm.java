package calm.cli;

import calm.train.NonFiniteLossException;
import calm.train.Threads;
import calm.train.config.ConfigException;
import calm.train.stop.StopRequest;
import calm.train.stop.StoppedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
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
            boolean helpOrVersion = Arrays.stream(args).anyMatch(arg -> List.of("-h", "--help", "-V", "--version").contains(arg));
            if (args.length > 0 && !args[0].startsWith("-") && !args[0].equals("help") && !helpOrVersion) {
                LOG.info("engine: {}", threads.reason());
            }
        } catch (IllegalArgumentException e) {
            System.err.println("calm: " + e.getMessage());
            System.exit(USAGE);
        }
        StopRequest.install();
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
        wrapAtSpaces(commandLine);
        // Every subcommand's --version (picocli's standard option) prints what `calm --version` does.
        Version version = new Version();
        commandLine.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(version));
        // A usage error: its one line, a suggestion where picocli has one, and where the help is.
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine failed = exception.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println("calm: " + exception.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
            err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            PrintWriter err = failed.getErr();
            if (exception instanceof ConfigException) {
                err.println("calm: config error: " + exception.getMessage());
                err.flush();
                return USAGE;
            }
            if (exception instanceof StoppedException stopped) {
                err.println("calm: " + stopped.getMessage());
                err.flush();
                return stopped.exitCode();
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

    /**
     * Wraps every command's description, options, subcommands and footer at spaces only: picocli's wrapping also breaks
     * after a dot or a hyphen inside a word, which splits file names ({@code provenance.}/{@code json}).
     */
    private static void wrapAtSpaces(CommandLine commandLine) {
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION,
                help -> HelpText.wrap(help.commandSpec().usageMessage().description(), help.commandSpec().usageMessage().width()));
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
                help -> HelpText.wrap(help.commandSpec().usageMessage().footer(), help.commandSpec().usageMessage().width()));
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                help -> HelpText.options(help.commandSpec(), help.commandSpec().usageMessage().width()));
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                help -> HelpText.commands(help.commandSpec(), help.commandSpec().usageMessage().width()));
        commandLine.getSubcommands().values().forEach(Calm::wrapAtSpaces);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    private static String describe(Throwable exception) {
        if (exception instanceof FileSystemException files) {
            // The JDK's message is often the path alone ("/proc/calm-out"): say what failed and why.
            String reason = files.getReason() != null ? files.getReason()
                    : exception instanceof NoSuchFileException ? "no such file or folder"
                    : exception instanceof AccessDeniedException ? "permission denied"
                    : exception instanceof FileAlreadyExistsException ? "it already exists"
                    : exception instanceof NotDirectoryException ? "not a folder"
                    : exception instanceof DirectoryNotEmptyException ? "the folder is not empty"
                    : exception.getClass().getSimpleName();
            return files.getFile() + (files.getOtherFile() != null ? " -> " + files.getOtherFile() : "") + ": " + reason;
        }
        String message = exception.getMessage();
        return message == null || message.isBlank() ? exception.toString() : message;
    }

    /**
     * What {@code --version} prints: calm's version and the commit it was built from
     * ({@code calm/build.properties}, written by the build; "-dirty" when tracked files had
     * uncommitted changes), the engine's versions (DJL and PyTorch, read from the engine's jar
     * without loading the native library) and Java's.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Calm.class.getPackage().getImplementationVersion();
            Properties build = properties("/calm/build.properties");
            Properties engine = properties("/pytorch-engine.properties");
            String commit = build.getProperty("git.commit.id", "");
            commit = commit.isEmpty() ? "unknown" : commit + ("true".equals(build.getProperty("git.dirty")) ? "-dirty" : "");
            return new String[] {
                "calm " + (version == null ? "development build" : version) + ", commit " + commit,
                "engine: DJL " + engine.getProperty("djl_version", "unknown") + ", PyTorch "
                    + engine.getProperty("pytorch_version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }

        private static Properties properties(String resource) {
            Properties properties = new Properties();
            try (InputStream in = Calm.class.getResourceAsStream(resource)) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                // Then the version line says "unknown" for what the file would have told.
            }
            return properties;
        }
    }
}
