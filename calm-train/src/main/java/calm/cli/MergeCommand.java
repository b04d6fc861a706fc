package calm.cli;

import calm.merge.Merge;
import calm.merge.MergeConfig;
import calm.merge.MergeInputs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code calm merge CONFIG --output FOLDER}. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merges the weights of models of one architecture, without training, by a config in mergekit's "
            + "YAML schema: linear, slerp, task_arithmetic, ties, dare_linear, dare_ties, breadcrumbs, breadcrumbs_ties, "
            + "model_stock, passthrough (docs/merging.md).",
            "Inputs: this project's model folders or Hugging Face folders (GPT-2, Llama, Qwen2; one file or shards; "
            + "F32, F16, BF16). Tensors are streamed one block at a time.",
            "Writes the merged model to --output all at once: a merge that fails or is killed leaves no folder."})
final class MergeCommand implements Callable<Integer> {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "a merge config, e.g. configs/merge-example.yaml")
    Path config;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FOLDER", description = "the merged model's folder")
    Path output;

    @Option(names = "--overwrite", description = "replace --output when it exists")
    boolean overwrite;

    @Option(names = "--random-seed", paramLabel = "N", description = "the seed of DARE's random drops (default: the config's "
            + "random_seed, else 0)")
    Long randomSeed;

    @Option(names = "--max-shard-size", paramLabel = "SIZE", defaultValue = "5GB", description = "the largest weights file of a "
            + "Hugging Face output, e.g. 2GB or 500MB (default: ${DEFAULT-VALUE})")
    String maxShardSize;

    @Override
    public Integer call() throws Exception {
        long shardBytes = bytes(maxShardSize);
        MergeConfig merge = MergeConfig.read(config);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "merging with %s into %s%n", merge.method().configName(), output);
        out.flush();
        ProgressBar[] bar = new ProgressBar[1];
        Merge.Options options = new Merge.Options(output, shardBytes, randomSeed, overwrite, MergeInputs.CHUNK,
                (name, done, total) -> {
                    if (bar[0] == null) {
                        // Made at the first tensor, so that a config refused while planning draws no bar.
                        bar[0] = new ProgressBarBuilder().setTaskName("merge").setStyle(ProgressBarStyle.ASCII)
                                .setUpdateIntervalMillis(250).setMaxRenderedLength(100).setInitialMax(total).build();
                    }
                    bar[0].stepTo(done);
                });
        Merge.Result result;
        try {
            result = Merge.run(merge, options);
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
        out.printf(Locale.ROOT, "wrote %s: %d tensors, %.1f MB in %d weights file%s, %s%n", result.output(), result.tensors(),
                result.bytes() / 1e6, result.weightFiles().size(), result.weightFiles().size() == 1 ? "" : "s", clock(result.took()));
        return Calm.OK;
    }

    private long bytes(String size) {
        Matcher matcher = SIZE.matcher(size.strip());
        if (!matcher.matches()) {
            throw new ParameterException(spec.commandLine(), "--max-shard-size: \"" + size + "\" is not a size such as 5GB, 500MB or 1000000");
        }
        double number = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        long scale = switch (unit) {
            case "KB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> 1L;
        };
        long bytes = (long) (number * scale);
        if (bytes < 1) {
            throw new ParameterException(spec.commandLine(), "--max-shard-size must be at least 1 byte, got " + size);
        }
        return bytes;
    }

    private static String clock(Duration took) {
        return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    }
}
