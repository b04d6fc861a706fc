package calm.io;

import java.nio.file.Path;

/** A process for {@link OutputLockTest}: takes a folder's lock, says so, and holds it until its input closes. */
public final class HoldOutputLock {

    private HoldOutputLock() {}

    /** @param args the folder */
    public static void main(String[] args) throws Exception {
        try (OutputLock lock = OutputLock.acquire(Path.of(args[0]), "calm run held.yaml")) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our input or kills us
            }
        } catch (OutputLock.OutputInUseException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
