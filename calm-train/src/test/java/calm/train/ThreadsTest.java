package calm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The engine's intra-op threads: from the property, the environment, or the cores shared with other calm processes. */
class ThreadsTest {

    @Test
    void theCoresAreSharedAmongTheCalmProcessesRunning() {
        assertEquals(2, Threads.decide(null, null, 2, 0).threads());
        assertEquals(1, Threads.decide(null, null, 2, 1).threads());
        assertEquals(1, Threads.decide(null, null, 2, 5).threads());
        assertEquals(8, Threads.decide(null, null, 16, 1).threads());
        assertEquals(5, Threads.decide(null, null, 16, 2).threads());
        Threads.Choice shared = Threads.decide(null, null, 2, 1);
        assertTrue(shared.reason().contains("1 other calm process running"), shared.reason());
        assertTrue(shared.reason().contains(Threads.ENV), shared.reason());
    }

    @Test
    void thePropertyWinsOverTheEnvironmentWhichWinsOverTheCores() {
        assertEquals(3, Threads.decide("3", "5", 2, 0).threads());
        assertEquals(5, Threads.decide(null, "5", 2, 7).threads());
        assertEquals(4, Threads.decide(" ", " 4 ", 2, 0).threads());
        assertTrue(Threads.decide(null, "5", 2, 0).reason().contains("as CALM_THREADS sets"));
    }

    @Test
    void aThreadCountThatIsNotAPositiveNumberIsAnErrorNamingWhereItCameFrom() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Threads.decide(null, "0", 2, 0));
        assertEquals("CALM_THREADS must be a positive number of threads, got '0'", zero.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> Threads.decide("two", null, 2, 0));
        assertEquals("-Dai.djl.pytorch.num_threads must be a positive number of threads, got 'two'", text.getMessage());
    }
}
