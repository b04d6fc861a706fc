package calm.cli;

/**
 * A subcommand that another module adds to {@code calm} without this module knowing it: a class
 * annotated with picocli's {@code @Command}, with a public no-argument constructor, implementing
 * this interface and listed in {@code META-INF/services/calm.cli.CalmSubcommand} of its jar.
 * {@link Calm#commandLine()} finds every such class on the class path with a
 * {@link java.util.ServiceLoader} (calm-eval adds {@code eval} and {@code run} this way).
 *
 * <p>Exit codes are shared: 0 success, 2 usage or config error (throw picocli's
 * {@code ParameterException} or a {@link calm.train.config.ConfigException}), 1 failure at run time
 * (any other exception).
 */
public interface CalmSubcommand {}
