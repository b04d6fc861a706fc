package calm.eval.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import calm.eval.stats.Bootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.Range;
import org.junit.jupiter.api.Test;

class ChartsTest {

    private static final RunMetadata RUN = new RunMetadata("charts", "configs/charts.yaml", "ab".repeat(32), 1, "unknown",
            Map.of(), "none", Map.of());

    /** Nine systems on two tasks: on the first every score is zero, on the second they run up to 16. */
    private static Results scores() {
        List<SystemInfo> systems = new ArrayList<>();
        List<TaskResult> results = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            systems.add(new SystemInfo("system " + i, "ablation", 10, 0, ""));
            results.add(new TaskResult("all zero", "system " + i, Map.of("accuracy", new Score(0, 0, 0))));
            results.add(new TaskResult("up to 16", "system " + i, Map.of("accuracy", new Score(2 * i, i, 2 * i))));
        }
        return Results.of(RUN, Bootstrap.DEFAULT, systems, List.of(new TaskInfo("all zero", "test", 50, "accuracy"),
                new TaskInfo("up to 16", "test", 50, "accuracy")), results, List.of(), List.of(), Map.of(), List.of());
    }

    @Test
    void everyScorePanelHasTheZeroToHundredScaleEvenWhenEveryScoreIsZero() {
        Results results = scores();
        for (TaskInfo task : results.tasks()) {
            CategoryPlot plot = Charts.taskJFreeChart(results, task).getCategoryPlot();
            // 0 to 100 with room above for the value over a bar of 100; ticks every 20.
            assertEquals(new Range(0, 110), plot.getRangeAxis().getRange(), task.name());
            assertEquals(20, ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).getTickUnit().getSize());
        }
    }

    @Test
    void everyPanelHandlesItsLabelsTheSameWay() {
        Results results = scores();
        // The second task is answered by one system only: it still slants its label as the first panel does.
        List<TaskResult> fewer = new ArrayList<>(results.results().stream().filter(r -> r.task().equals("all zero")).toList());
        fewer.add(results.results().stream().filter(r -> r.task().equals("up to 16")).findFirst().orElseThrow());
        Results uneven = Results.of(RUN, Bootstrap.DEFAULT, results.systems(), results.tasks(), fewer, List.of(), List.of(),
                Map.of(), List.of());
        CategoryAxis many = Charts.taskJFreeChart(uneven, uneven.task("all zero")).getCategoryPlot().getDomainAxis();
        CategoryAxis one = Charts.taskJFreeChart(uneven, uneven.task("up to 16")).getCategoryPlot().getDomainAxis();
        assertEquals(many.getCategoryLabelPositions(), one.getCategoryLabelPositions());
    }

    @Test
    void smoothingIsTensorBoardsDebiasedMovingAverage() {
        // By hand, weight 0.5: 0.5 / 0.5 = 1; (0.25 + 1) / 0.75 = 1.6667; (0.625 + 1.5) / 0.875 = 2.4286.
        assertArrayEquals(new double[] {1, 1.25 / 0.75, 2.125 / 0.875}, Charts.smooth(new double[] {1, 2, 3}, 0.5), 1e-12);
        assertArrayEquals(new double[] {4, 5}, Charts.smooth(new double[] {4, 5}, 0), 0);
    }

    @Test
    void aLossPanelNamesAMultiTokenSumAndMarksWhereTheSecondStageBegins() {
        List<CurvePoint> points = List.of(
                new CurvePoint(10, 6.0, Map.of(MetricsLog.STAGE, 1.0, Charts.MULTI_TOKEN, 3.0)),
                new CurvePoint(20, 5.0, Map.of(MetricsLog.STAGE, 1.0, Charts.MULTI_TOKEN, 3.0)),
                new CurvePoint(30, 5.5, Map.of(MetricsLog.STAGE, 2.0, Charts.MULTI_TOKEN, 3.0)));
        Results results = Results.of(RUN, Bootstrap.DEFAULT, List.of(new SystemInfo("m_B", "m_B", 10, 10, "")),
                List.of(new TaskInfo("t", "test", 1, "accuracy")), List.of(), List.of(), List.of(),
                Map.of("m_B", new TrainingCurve("out/train/pretrain-b/metrics.jsonl + out/train/pretrain-b/prefix-stage/"
                        + "metrics.jsonl", points, 0)), List.of());
        JFreeChart chart = Charts.lossJFreeChart(results, "m_B");
        XYPlot plot = chart.getXYPlot();
        ValueAxis loss = plot.getRangeAxis();
        assertEquals("loss, summed over 3 tokens predicted", loss.getLabel());
        List<?> markers = new ArrayList<>(plot.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND));
        assertEquals(1, markers.size());
        assertEquals("prefix stage", ((Marker) markers.get(0)).getLabel());
        assertEquals(20.5, ((org.jfree.chart.plot.ValueMarker) markers.get(0)).getValue());
        assertEquals(2, plot.getDataset().getSeriesCount(), "the raw points and the smoothed line");
        // The prefix stage starts its average afresh: its first smoothed value is its first point.
        assertEquals(5.5, plot.getDataset().getYValue(1, 2), 1e-12);
    }
}
