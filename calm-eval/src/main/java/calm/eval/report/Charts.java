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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart off-screen and encoded as PNG: per task, a bar per
 * system with its interval as an error bar; and the training loss of each trained system.
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
    /** Display width of the loss chart: the whole page, as noisy curves need room. */
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

    /**
     * The loss line of the system at this position: solid for the first eight systems, dashed for
     * the next eight, whose colours repeat theirs (a report with every baseline and ablation of the
     * key-value experiment has nine), dotted after that.
     */
    static BasicStroke strokeAt(int index) {
        int cycle = index / PALETTE.length;
        float[] dashes = cycle == 0 ? null : cycle == 1 ? new float[] {6f, 4f} : new float[] {1.6f, 3f};
        return new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dashes, 0f);
    }

    /**
     * Draws one task's headline metric for every system that has it, with intervals.
     *
     * @return the PNG bytes, {@link #WIDTH} by {@link #HEIGHT} at twice the resolution
     */
    static byte[] taskChart(Results results, TaskInfo task) {
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
        systems.setMaximumCategoryLabelLines(4);
        if (dataset.getColumnCount() > 8) {
            systems.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        systems.setCategoryMargin(0.08);
        double top = scores.stream().mapToDouble(Score::high).max().orElse(1);
        String level = ReportText.level(results.bootstrap());
        NumberAxis values = new NumberAxis(task.metric() + ", " + level + " CI");
        values.setLabelFont(LABEL);
        values.setTickLabelFont(TICK);
        // Room above the tallest error bar for its value label.
        values.setRange(Math.min(0, scores.stream().mapToDouble(Score::low).min().orElse(0)),
                Math.max(top * 1.15, 1));
        CategoryPlot plot = new CategoryPlot(dataset, systems, values,
                new IntervalBars(scores, colors));
        String title = task.name() + " (" + task.split() + ", n = "
                + ReportText.count(task.examples()) + ")";
        return png(styled(new JFreeChart(title, TITLE, plot, false), plot), WIDTH);
    }

    /**
     * Draws the training loss against the step, a line per system with a curve.
     *
     * @return the PNG bytes, {@link #WIDE} by {@link #HEIGHT} at twice the resolution
     */
    static byte[] lossChart(Results results) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (Map.Entry<String, TrainingCurve> entry : results.curves().entrySet()) {
            XYSeries series = new XYSeries(entry.getKey(), false, true);
            for (CurvePoint point : entry.getValue().points()) {
                series.add(point.step(), point.loss());
            }
            int index = dataset.getSeriesCount();
            dataset.addSeries(series);
            int position = position(results, entry.getKey());
            renderer.setSeriesPaint(index, colorAt(position));
            renderer.setSeriesStroke(index, strokeAt(position));
        }
        NumberAxis steps = new NumberAxis("step");
        steps.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis loss = new NumberAxis("training loss");
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
        JFreeChart chart = new JFreeChart("Training loss", TITLE, plot, true);
        LegendTitle legend = chart.getLegend();
        legend.setItemFont(TICK);
        legend.setFrame(BlockBorder.NONE);
        legend.setPosition(RectangleEdge.BOTTOM);
        chart.setBackgroundPaint(Color.WHITE);
        return png(chart, WIDE);
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
        NumberAxis values = new NumberAxis(metric);
        values.setLabelFont(LABEL);
        values.setTickLabelFont(TICK);
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
