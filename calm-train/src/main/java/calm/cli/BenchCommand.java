package calm.cli;

import calm.bench.Bench;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code calm bench}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Prints the project's speed figures in one run: the engine's matrix-product ceiling on this "
            + "machine; for each step (the reference model's forward pass and training step, the CALM step with default "
            + "and dense wiring, the pretraining steps of the shipped experiments' m_A and m_B) its time, useful FLOPs, "
            + "share of the ceiling and its matrix-product floor; cached decoding per token, anchor alone and composed; "
            + "peak resident memory.",
            "Run it with nothing else on the machine. See docs/benchmarks.md."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "10",
            description = "timed runs of each measurement, after warm-ups; the median is printed (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--decode", paramLabel = "N", defaultValue = "128",
            description = "tokens decoded to time cached decoding (default: ${DEFAULT-VALUE})")
    int decode;

    @Option(names = "--config", paramLabel = "CONFIG",
            description = "an experiment config whose m_A and m_B pretraining steps are measured; repeatable (default: "
                + "configs/kv-arithmetic.yaml and configs/translation.yaml)")
    List<Path> configs;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1 || decode < 8) {
            throw new ParameterException(spec.commandLine(), "--repeats must be at least 1 and --decode at least 8, got "
                    + repeats + " and " + decode);
        }
        List<Path> measured = configs != null ? configs
                : List.of(Path.of("configs/kv-arithmetic.yaml"), Path.of("configs/translation.yaml"));
        new Bench(repeats, decode, measured, spec.commandLine().getOut()).run();
        return Calm.OK;
    }
}
