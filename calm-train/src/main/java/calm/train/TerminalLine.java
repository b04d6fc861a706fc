package calm.train;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * The one line a progress bar redraws in place on a terminal ({@code \r}, then the bar, padded over
 * what the last drawing left). Log lines printed while the bar is shown go through
 * {@link #around}, which clears the line first, so that they stand on lines of their own and the bar
 * redraws below them: no bar is left behind as a duplicate, and no log line is drawn over.
 */
public final class TerminalLine implements ProgressBarConsumer {

    private final PrintStream out;
    private final int width;
    private int drawn;

    /**
     * @param out the terminal's stream (where log lines go too)
     * @param width the widest bar drawn; longer ones are cut, so that a bar never wraps
     */
    public TerminalLine(PrintStream out, int width) {
        this.out = out;
        this.width = width;
    }

    /**
     * @param out the terminal's stream
     * @return a line as wide as the terminal (the bar library asks it; 79 where it cannot tell), at
     *     most 120 characters
     */
    public static TerminalLine forTerminal(PrintStream out) {
        return new TerminalLine(out, Math.min(120, new ConsoleProgressBarConsumer(out).getMaxRenderedLength()));
    }

    @Override
    public int getMaxRenderedLength() {
        return width;
    }

    @Override
    public synchronized void accept(String rendered) {
        String bar = rendered.length() > width ? rendered.substring(0, width) : rendered;
        out.print("\r" + bar + " ".repeat(Math.max(0, drawn - bar.length())));
        out.flush();
        drawn = bar.length();
    }

    /** Clears the bar's line, then runs {@code print} (which prints whole lines); the bar redraws on its next tick. */
    public synchronized void around(Runnable print) {
        if (drawn > 0) {
            out.print("\r" + " ".repeat(drawn) + "\r");
            out.flush();
            drawn = 0;
        }
        print.run();
    }

    /** Ends the bar's line, leaving its last drawing on screen. */
    @Override
    public synchronized void close() {
        if (drawn > 0) {
            out.println();
            drawn = 0;
        }
        out.flush();
    }
}
