package calm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the calm command line in-process and captures what it prints. */
final class CalmRunner {

    /** The outcome of one invocation. */
    record Result(int exitCode, String out, String err) {}

    private CalmRunner() {}

    static Result run(String... args) {
        CommandLine calm = Calm.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        calm.setOut(new PrintWriter(out, true));
        calm.setErr(new PrintWriter(err, true));
        int code = calm.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
