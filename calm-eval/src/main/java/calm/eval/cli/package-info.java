/**
 * The {@code calm eval} and {@code calm run} subcommands, added to the {@code calm} command through
 * {@link calm.cli.CalmSubcommand} (listed in {@code META-INF/services/calm.cli.CalmSubcommand}).
 */
package calm.eval.cli;
