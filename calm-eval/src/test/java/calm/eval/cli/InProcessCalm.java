package calm.eval.cli;

import calm.cli.Calm;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the calm command line in this JVM and captures what it prints. */
final class InProcessCalm {

    /** What one invocation ended with and printed. */
    record Outcome(int exitCode, String out, String err) {}

    private InProcessCalm() {}

    static Outcome run(String... args) {
        CommandLine command = Calm.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }
}
