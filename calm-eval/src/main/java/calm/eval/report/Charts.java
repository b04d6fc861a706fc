package calm.eval.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart off-screen and encoded as PNG: per task, a bar per
 * system with its interval as an error bar, every score on one 0-100 axis; and a panel per trained
 * system with its training loss, raw and smoothed.
 *
 * <p>Each system keeps its colour in every chart. Images are drawn at twice their display size so
 * they stay sharp on high-density screens.
 */
final class Charts {

    static {
        // Reports are drawn on servers and in CI, which have no display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Display width of a task chart in CSS pixels; two fit side by side. */
    static final int WIDTH = 520;
    /** Display height of a chart in CSS pixels. */
    static final int HEIGHT = 340;
    /** Display width of a chart of several systems by task: the whole page. */
    static final int WIDE = 2 * WIDTH + 20;

    private static final int SCALE = 2;
    /** Okabe and Ito's palette, distinguishable with the common colour-vision deficiencies. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000),
    };
    private static final Color GRID = new Color(0xDDDDDD);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private Charts() {
    }

    /** Returns a system's colour, fixed by its position in {@link Results#systems()}. */
    static Color color(Results results, String system) {
        return colorAt(position(results, system));
    }

    /** @return the system's position in {@link Results#systems()}: what fixes its colour and line */
    static int position(Results results, String system) {
        return results.systems().indexOf(results.system(system));
    }

    /** The colour of the system at this position: the palette, from its start again after eight. */
    static Color colorAt(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /** More bars than this in any task chart: every task chart is drawn slanted, a page wide. */
    static final int MOST_UPRIGHT_BARS = 8;

    /** @return the display width of every task chart of these results: {@link #WIDE} with many systems, else {@link #WIDTH} */
    static int taskChartWidth(Results results) {
        return mostBars(results) > MOST_UPRIGHT_BARS ? WIDE : WIDTH;
    }

    /**
     * Draws one task's headline metric for every system that has it, with intervals.
     *
     * @return the PNG bytes, {@link #taskChartWidth} by {@link #HEIGHT} at twice the resolution
     */
    static byte[] taskChart(Results results, TaskInfo task) {
        return png(taskJFreeChart(results, task), taskChartWidth(results));
    }

    /** The chart {@link #taskChart} draws, before it is drawn. */
    static JFreeChart taskJFreeChart(Results results, TaskInfo task) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        List<Score> scores = new ArrayList<>();
        List<Color> colors = new ArrayList<>();
        for (SystemInfo system : results.systems()) {
            results.headline(task.name(), system.name()).ifPresent(score -> {
                dataset.addValue(score.value(), task.metric(), system.name());
                scores.add(score);
                colors.add(color(results, system.name()));
            });
        }
        CategoryAxis systems = new CategoryAxis();
        systems.setTickLabelFont(TICK);
        // Long names ("CALM with random m_A") wrap onto up to four lines rather than being cut;
        // with more systems than fit side by side, names are slanted instead, whole.
        // The same rule for every panel, from the most bars any panel has, so neighbours match: up to
        // eight, names wrap onto up to four lines under their bars; more, the panels are a page wide
        // and the names slanted on one line each (slanted lines that wrap run into each other).
        if (mostBars(results) > MOST_UPRIGHT_BARS) {
            systems.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
            systems.setMaximumCategoryLabelLines(1);
            systems.setMaximumCategoryLabelWidthRatio(3f);
        } else {
            systems.setMaximumCategoryLabelLines(4);
        }
        systems.setCategoryMargin(0.08);
        String level = ReportText.level(results.bootstrap());
        NumberAxis values = scoreAxis(task.metric() + ", " + level + " CI");
        CategoryPlot plot = new CategoryPlot(dataset, systems, values,
                new IntervalBars(scores, colors));
        String title = task.name() + " (" + task.split() + ", n = "
                + ReportText.count(task.examples()) + ")";
        return styled(new JFreeChart(title, TITLE, plot, false), plot);
    }

    /** TensorBoard's default smoothing weight, for the smoothed line over the raw one. */
    static final double SMOOTHING = 0.6;

    /**
     * Draws one system's training loss against the step: the raw points as a light line, their
     * smoothed values ({@link #smooth}) over it in the system's colour, and a marker where each stage
     * after the first begins (named by the folder of its log, e.g. "prefix stage"). Each panel has its
     * own loss axis, so a multi-token loss (a sum over the tokens predicted, its axis says so) does
     * not squash the others.
     *
     * @return the PNG bytes, {@link #WIDTH} by {@link #HEIGHT} at twice the resolution
     */
    static byte[] lossChart(Results results, String system) {
        return png(lossJFreeChart(results, system), WIDTH);
    }

    /** The chart {@link #lossChart} draws, before it is drawn. */
    static JFreeChart lossJFreeChart(Results results, String system) {
        TrainingCurve curve = results.curves().get(system);
        XYSeries raw = new XYSeries("raw", false, true);
        XYSeries smoothed = new XYSeries("smoothed (" + SMOOTHING + ")", false, true);
        List<CurvePoint> points = curve.points();
        // Smoothed within each stage: a later stage starts its average afresh.
        double[] values = new double[points.size()];
        for (int from = 0; from < points.size(); ) {
            double stage = points.get(from).metrics().getOrDefault(MetricsLog.STAGE, 1.0);
            int to = from;
            while (to < points.size() && points.get(to).metrics().getOrDefault(MetricsLog.STAGE, 1.0) == stage) {
                to++;
            }
            double[] smoothedStage = smooth(points.subList(from, to).stream().mapToDouble(CurvePoint::loss).toArray(), SMOOTHING);
            System.arraycopy(smoothedStage, 0, values, from, to - from);
            from = to;
        }
        for (int i = 0; i < points.size(); i++) {
            raw.add(points.get(i).step(), points.get(i).loss());
            smoothed.add(points.get(i).step(), values[i]);
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        dataset.addSeries(raw);
        dataset.addSeries(smoothed);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        Color color = color(results, system);
        renderer.setSeriesPaint(0, new Color(color.getRed(), color.getGreen(), color.getBlue(), 110));
        renderer.setSeriesStroke(0, new BasicStroke(1.2f));
        renderer.setSeriesPaint(1, color);
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        NumberAxis steps = new NumberAxis("update");
        steps.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        int tokens = points.stream().mapToInt(p -> p.metrics().getOrDefault(MULTI_TOKEN, 1.0).intValue()).max().orElse(1);
        NumberAxis loss = new NumberAxis(tokens > 1 ? "loss, summed over " + tokens + " tokens predicted" : "loss per token");
        loss.setAutoRangeIncludesZero(false);
        for (NumberAxis axis : List.of(steps, loss)) {
            axis.setLabelFont(LABEL);
            axis.setTickLabelFont(TICK);
        }
        XYPlot plot = new XYPlot(dataset, steps, loss, renderer);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        List<String> sources = List.of(curve.source().split(" \\+ "));
        for (int i = 1; i < points.size(); i++) {
            double stage = points.get(i).metrics().getOrDefault(MetricsLog.STAGE, 1.0);
            if (stage != points.get(i - 1).metrics().getOrDefault(MetricsLog.STAGE, 1.0)) {
                ValueMarker marker = new ValueMarker(points.get(i - 1).step() + 0.5, Color.DARK_GRAY,
                        new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {4f, 3f}, 0f));
                marker.setLabel(stageName(sources, (int) stage));
                marker.setLabelFont(TICK);
                marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
                marker.setLabelOffset(new RectangleInsets(4, 4, 4, 4));
                plot.addDomainMarker(marker);
            }
        }
        JFreeChart chart = new JFreeChart(system, TITLE, plot, true);
        // Room on the right for the last step's tick label, which would otherwise be cut.
        chart.setPadding(new RectangleInsets(4, 4, 4, 16));
        LegendTitle legend = chart.getLegend();
        legend.setItemFont(TICK);
        legend.setFrame(BlockBorder.NONE);
        legend.setPosition(RectangleEdge.BOTTOM);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** The metric a multi-token job's log lines carry: how many tokens its loss sums over. */
    static final String MULTI_TOKEN = "tokensPredicted";

    /**
     * TensorBoard's smoothing: an exponential moving average, debiased so that the first values are
     * not pulled towards zero.
     *
     * @param weight the weight of the past, in [0, 1); 0 returns the values
     */
    static double[] smooth(double[] values, double weight) {
        double[] smoothed = new double[values.length];
        double last = 0;
        double debias = 1;
        for (int i = 0; i < values.length; i++) {
            last = last * weight + (1 - weight) * values[i];
            debias *= weight;
            smoothed[i] = weight == 0 ? values[i] : last / (1 - debias);
        }
        return smoothed;
    }

    /** @return a stage's name from the folder its log is in ("prefix-stage" reads "prefix stage"), else "stage N" */
    private static String stageName(List<String> sources, int stage) {
        if (stage - 1 < sources.size() && stage > 1) {
            Path parent = Path.of(sources.get(stage - 1)).getParent();
            if (parent != null && parent.getFileName() != null) {
                return parent.getFileName().toString().replace('-', ' ');
            }
        }
        return "stage " + stage;
    }

    /**
     * Draws the headline scores of a chart's systems, bars grouped by task in the chart's order.
     *
     * @return the PNG bytes, {@link #WIDE} by {@link #HEIGHT} at twice the resolution
     */
    static byte[] comparisonChart(Results results, ChartSpec spec) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        String metric = results.task(spec.tasks().get(0)).metric();
        for (String system : spec.systems()) {
            for (String task : spec.tasks()) {
                dataset.addValue(results.headline(task, system).map(Score::value).orElse(null), system, task);
            }
        }
        CategoryAxis tasks = new CategoryAxis();
        tasks.setTickLabelFont(TICK);
        tasks.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        tasks.setMaximumCategoryLabelWidthRatio(4f);
        NumberAxis values = scoreAxis(metric);
        BarRenderer bars = new BarRenderer();
        bars.setShadowVisible(false);
        bars.setBarPainter(new StandardBarPainter());
        bars.setItemMargin(0.0);
        for (int i = 0; i < spec.systems().size(); i++) {
            bars.setSeriesPaint(i, color(results, spec.systems().get(i)));
        }
        CategoryPlot plot = new CategoryPlot(dataset, tasks, values, bars);
        JFreeChart chart = styled(new JFreeChart(spec.title(), TITLE, plot, true), plot);
        LegendTitle legend = chart.getLegend();
        legend.setItemFont(TICK);
        legend.setFrame(BlockBorder.NONE);
        legend.setPosition(RectangleEdge.TOP);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeScaledChartAsPNG(out, chart, WIDE, 2 * HEIGHT, SCALE, SCALE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing PNG to memory", e);
        }
        return out.toByteArray();
    }

    /** Where every score axis ends: past 100, so that the value over a bar of 100 fits; its ticks stop at 100. */
    static final double SCORE_AXIS_TOP = 110;

    /**
     * The axis of every score chart: 0 to 100, the scale every score in a report is on, whatever the
     * scores (an all-zero panel reads as zero, not as a 0-1 axis beside 0-16 ones), with room above
     * 100 for a value label ({@link #SCORE_AXIS_TOP}).
     */
    static NumberAxis scoreAxis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setLabelFont(LABEL);
        axis.setTickLabelFont(TICK);
        axis.setRange(0, SCORE_AXIS_TOP);
        axis.setTickUnit(new NumberTickUnit(20));
        return axis;
    }

    /** @return the most systems any task chart has a bar for */
    static int mostBars(Results results) {
        return results.tasks().stream().mapToInt(task -> (int) results.systems().stream()
                .filter(system -> results.headline(task.name(), system.name()).isPresent()).count()).max().orElse(0);
    }

    private static JFreeChart styled(JFreeChart chart, CategoryPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlineVisible(false);
        chart.setBackgroundPaint(Color.WHITE);
        TextTitle title = chart.getTitle();
        title.setFont(TITLE);
        return chart;
    }

    private static byte[] png(JFreeChart chart, int width) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeScaledChartAsPNG(out, chart, width, HEIGHT, SCALE, SCALE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing PNG to memory", e);
        }
        return out.toByteArray();
    }

    /**
     * Bars in each system's colour with the interval drawn over them and the value written above.
     */
    private static final class IntervalBars extends BarRenderer {

        private static final long serialVersionUID = 1L;
        private static final double CAP = 6;

        private final List<Score> scores;
        private final List<Color> colors;

        IntervalBars(List<Score> scores, List<Color> colors) {
            this.scores = List.copyOf(scores);
            this.colors = List.copyOf(colors);
            setBarPainter(new StandardBarPainter());
            setShadowVisible(false);
            setDrawBarOutline(false);
            setMaximumBarWidth(0.11);
        }

        @Override
        public Paint getItemPaint(int row, int column) {
            return colors.get(column);
        }

        @Override
        public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea,
                CategoryPlot plot, CategoryAxis domainAxis, ValueAxis rangeAxis,
                CategoryDataset dataset, int row, int column, int pass) {
            super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column,
                    pass);
            if (pass != 0) {
                return;
            }
            Score score = scores.get(column);
            RectangleEdge edge = plot.getRangeAxisEdge();
            double x = domainAxis.getCategoryMiddle(column, getColumnCount(), dataArea,
                    plot.getDomainAxisEdge());
            double low = rangeAxis.valueToJava2D(score.low(), dataArea, edge);
            double high = rangeAxis.valueToJava2D(score.high(), dataArea, edge);
            g2.setPaint(Color.BLACK);
            g2.setStroke(new BasicStroke(1.3f));
            g2.draw(new Line2D.Double(x, low, x, high));
            g2.draw(new Line2D.Double(x - CAP, low, x + CAP, low));
            g2.draw(new Line2D.Double(x - CAP, high, x + CAP, high));
            String label = ReportText.number(score.value());
            g2.setFont(TICK);
            FontMetrics metrics = g2.getFontMetrics();
            g2.drawString(label, (float) (x - metrics.stringWidth(label) / 2.0),
                    (float) (high - 4));
        }
    }
}
