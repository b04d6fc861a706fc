/**
 * The {@code calm} command ({@link calm.cli.Calm}, picocli): pretrain, compose, finetune,
 * generate and demo; other modules add subcommands through {@link calm.cli.CalmSubcommand}.
 */
package calm.cli;
