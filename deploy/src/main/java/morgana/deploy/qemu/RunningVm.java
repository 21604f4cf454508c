package morgana.deploy.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A qemu process booting a Morgana image. Its serial console (the guest's stdout and the kernel's log) is
 * copied to a log file, kept in memory for {@link #console()}, and optionally echoed.
 * {@link #close()} kills qemu and anything it started; a JVM shutdown hook does the same if the caller forgets.
 */
public final class RunningVm implements AutoCloseable {
    private final Process process;
    private final List<String> command;
    private final Accelerator accelerator;
    private final int hostPort;
    private final StringBuffer console = new StringBuffer();
    private final long startNanos;
    /** For each chunk of console output: the console length after it, and when it arrived (since start). */
    private final List<long[]> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread pump;
    private final Thread shutdownHook;
    private final Path monitorSocket;

    RunningVm(Process process, long startNanos, List<String> command, Accelerator accelerator, int hostPort,
              Path consoleLog, Optional<PrintStream> echo, Path monitorSocket) throws IOException {
        this.process = process;
        this.monitorSocket = monitorSocket;
        this.startNanos = startNanos;
        this.command = List.copyOf(command);
        this.accelerator = accelerator;
        this.hostPort = hostPort;
        OutputStream log = Files.newOutputStream(consoleLog);
        this.pump = Thread.ofPlatform().daemon().name("qemu-console-" + process.pid()).start(() -> pump(log, echo));
        this.shutdownHook = new Thread(this::kill, "qemu-kill-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private void pump(OutputStream log, Optional<PrintStream> echo) {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream(); log) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                log.write(buffer, 0, n);
                log.flush();
                String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
                synchronized (console) {
                    console.append(text);
                    arrivals.add(new long[] {console.length(), System.nanoTime() - startNanos});
                }
                echo.ifPresent(out -> {
                    out.print(text);
                    out.flush();
                });
            }
        } catch (IOException e) {
            console.append("\n[morgana: console stream ended: ").append(e.getMessage()).append("]\n");
        }
    }

    /** Everything the guest's console printed so far. */
    public String console() {
        return console.toString();
    }

    /**
     * How long after qemu started the console first showed {@code text}, e.g. {@code "Run /jre/bin/java"}
     * (the kernel starting init, without {@code quiet}) or the guest's first line; empty if it has not yet.
     */
    public Optional<Duration> elapsedUntil(String text) {
        int at;
        synchronized (console) {
            at = console.indexOf(text);
        }
        if (at < 0) {
            return Optional.empty();
        }
        int end = at + text.length();
        for (long[] arrival : arrivals) {
            if (arrival[0] >= end) {
                return Optional.of(Duration.ofNanos(arrival[1]));
            }
        }
        return Optional.empty();
    }

    public String url() {
        return "http://127.0.0.1:" + hostPort + "/";
    }

    public int hostPort() {
        return hostPort;
    }

    public Accelerator accelerator() {
        return accelerator;
    }

    public List<String> command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until qemu exits (the guest powered off or rebooted) or {@code timeout} passes; empty if still running. */
    public OptionalInt waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.empty();
        }
        pump.join(Duration.ofSeconds(5));
        return OptionalInt.of(process.exitValue());
    }

    /** Waits until the console shows {@code text}; false if qemu exits or {@code timeout} passes first. */
    public boolean awaitConsole(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (console.indexOf(text) >= 0) {
                return true;
            }
            if (!process.isAlive()) {
                pump.join(Duration.ofSeconds(5));
                return console.indexOf(text) >= 0;
            }
            Thread.sleep(50);
        }
        return console.indexOf(text) >= 0;
    }

    /**
     * Sends one command to qemu's human monitor and returns what it answered (the text before the next
     * {@code (qemu)} prompt), e.g. {@code sendkey ctrl-alt-delete} or {@code info status}.
     */
    public String monitor(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(monitorSocket))) {
            readUntilPrompt(channel);
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            String answer = readUntilPrompt(channel);
            int echoEnd = answer.indexOf('\n');
            return echoEnd < 0 ? "" : answer.substring(echoEnd + 1).strip();
        }
    }

    /**
     * Presses ctrl-alt-del on the guest's keyboard: a Morgana guest (PID 1 has the kernel turn it into SIGINT)
     * then shuts down cleanly and powers off, and qemu exits.
     */
    public void pressCtrlAltDelete() throws IOException {
        monitor("sendkey ctrl-alt-delete");
    }

    private static String readUntilPrompt(SocketChannel channel) throws IOException {
        StringBuilder text = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (text.indexOf(MONITOR_PROMPT) < 0) {
            buffer.clear();
            if (channel.read(buffer) < 0) {
                throw new IOException("qemu's monitor closed before its prompt; it said: " + text);
            }
            text.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        }
        return text.substring(0, text.indexOf(MONITOR_PROMPT)).replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "");
    }

    private static final String MONITOR_PROMPT = "(qemu) ";

    /** Kills qemu (and any helper it started) and waits, boundedly, for it to go. */
    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran: nothing left to undo
        }
    }

    private void kill() {
        ProcessHandle handle = process.toHandle();
        List<ProcessHandle> descendants = handle.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        handle.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            pump.join(Duration.ofSeconds(2));
            Files.deleteIfExists(monitorSocket);
            Files.deleteIfExists(monitorSocket.getParent());
        } catch (IOException e) {
            // a temporary socket left behind in /tmp is harmless
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
