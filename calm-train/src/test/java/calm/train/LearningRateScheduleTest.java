package calm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    private final LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 1e-4, 10, 110);

    @Test
    void warmUpRisesLinearlyToThePeak() {
        assertEquals(1e-4, schedule.rate(1), 1e-12);
        assertEquals(5e-4, schedule.rate(5), 1e-12);
        assertEquals(1e-3, schedule.rate(10), 1e-12);
    }

    @Test
    void cosineDecaysFromThePeakToTheFloorOnTheLastUpdate() {
        // Half-way through the decay (update 60 of 10..110) the rate is the mean of peak and floor.
        assertEquals(5.5e-4, schedule.rate(60), 1e-12);
        // A quarter of the way: floor + (peak - floor) * (1 + cos(pi / 4)) / 2.
        assertEquals(1e-4 + 9e-4 * (1 + Math.sqrt(0.5)) / 2, schedule.rate(35), 1e-12);
        assertEquals(1e-4, schedule.rate(110), 1e-12);
        assertEquals(1e-4, schedule.rate(500), 1e-12);
    }

    @Test
    void theTrackerGivesDjlOptimizersTheSameRates() {
        assertEquals(5.5e-4f, schedule.getNewValue(60), 1e-9f);
        assertEquals(5.5e-4f, schedule.getNewValue("any parameter", 60), 1e-9f);
    }

    @Test
    void withoutWarmUpTheFirstUpdateRunsAtThePeak() {
        LearningRateSchedule noWarmup = new LearningRateSchedule(2e-3, 0, 0, 100);
        assertEquals(2e-3, noWarmup.rate(1), 1e-6);
        assertEquals(1e-3, noWarmup.rate(50), 1e-12);
        assertEquals(0, noWarmup.rate(100), 1e-12);
    }
}
