package calm.merge;

import java.nio.file.Path;

/**
 * A merge that pauses after each tensor, run as its own process by {@link KilledMergeTest} so that a
 * SIGKILL lands while the output is being written. Arguments: CONFIG OUTPUT.
 */
public final class SlowMerge {

    private SlowMerge() {}

    public static void main(String[] args) throws Exception {
        Merge.run(MergeConfig.read(Path.of(args[0])), new Merge.Options(Path.of(args[1]), Merge.DEFAULT_SHARD_BYTES, null, false, 64,
                (tensor, done, total) -> {
                    System.out.println("written " + done + " of " + total);
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
    }
}
