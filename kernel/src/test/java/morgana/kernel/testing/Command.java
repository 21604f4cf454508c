package morgana.kernel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short host command (ip, ping) with a deadline and returns what it printed. */
public record Command(List<String> argv) {

    public record Result(int exitCode, String output) {
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv));
    }

    public Result run(Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), readAll(process.getInputStream()));
        } finally {
            process.destroyForcibly();
        }
    }

    /** Runs it and fails unless it exits 0. */
    public String check(Duration timeout) throws IOException, InterruptedException {
        Result result = run(timeout);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " exited " + result.exitCode() + ": "
                    + result.output());
        }
        return result.output();
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
