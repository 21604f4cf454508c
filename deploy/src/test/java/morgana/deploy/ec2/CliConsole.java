package morgana.deploy.ec2;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test of {@code morgana deploy} as a user runs it needs around each test: test keys for the SDK's
 * default credential chain, and standard output captured ({@link #output()}), both put back afterwards.
 */
final class CliConsole implements BeforeEachCallback, AfterEachCallback {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream realOut;

    @Override
    public void beforeEach(ExtensionContext context) {
        System.setProperty("aws.accessKeyId", "AKIDMORGANATEST");
        System.setProperty("aws.secretAccessKey", "not-a-secret");
        realOut = System.out;
        out.reset();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(realOut);
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    /** What the command printed on standard output so far. */
    String output() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
