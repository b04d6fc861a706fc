package calm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory, from /proc/self/status (Linux); -1 elsewhere. */
public final class Memory {

    private Memory() {}

    /** @return the resident set now (VmRSS), in MiB */
    public static long residentMiB() {
        return field("VmRSS:");
    }

    /** @return the largest resident set so far (VmHWM), in MiB */
    public static long peakMiB() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
