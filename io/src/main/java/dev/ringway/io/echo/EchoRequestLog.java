package dev.ringway.io.echo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the HTTP echo writes to its standard output for every request it echoes (ECHO.md section 3, "Log line"):
 * the line goes to a sink and the request target is kept in memory, so that a test runner can do what the
 * request-mirroring tests do with Pod logs. Thread-safe.
 */
public final class EchoRequestLog {
    private final Consumer<String> sink;
    private final List<String> targets = new ArrayList<>();

    EchoRequestLog(Consumer<String> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    void record(String target, String remoteAddress) {
        synchronized (targets) {
            targets.add(target);
        }
        sink.accept("Echoing back request made to " + target + " to client (" + remoteAddress + ")");
    }

    /** Request targets (path plus {@code ?query}, as received) of the echoed requests, oldest first. */
    public List<String> targets() {
        synchronized (targets) {
            return List.copyOf(targets);
        }
    }

    /** How many echoed requests had exactly this target. */
    public int count(String target) {
        synchronized (targets) {
            int n = 0;
            for (String t : targets) {
                if (t.equals(target)) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Whether a request with exactly this target was echoed. */
    public boolean sawRequest(String target) {
        return count(target) > 0;
    }

    /** Forgets the recorded targets. */
    public void clear() {
        synchronized (targets) {
            targets.clear();
        }
    }
}
