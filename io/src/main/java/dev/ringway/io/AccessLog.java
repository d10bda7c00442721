package dev.ringway.io;

import org.jctools.queues.MpscArrayQueue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The optional access log: event loops offer one small record per request to a bounded MPSC queue
 * (never blocking: when the queue is full the entry is dropped and counted); a background thread
 * formats and writes them.
 */
final class AccessLog implements AutoCloseable {

    /** One request, as the event loop saw it; formatted by the writer thread. */
    record Entry(long epochMillis, String client, String method, String uri, String version, String host, int status,
                 long bytesOut, long nanos, String listener, String route, String backend, String upstream) {
    }

    private final MpscArrayQueue<Entry> queue = new MpscArrayQueue<>(64 * 1024);
    private final AtomicLong dropped = new AtomicLong();
    private final Writer out;
    private final boolean ownsOut;
    private final Thread thread;
    private volatile boolean running = true;

    AccessLog(String target) throws IOException {
        Path p = DataPlaneOptions.accessLogPath(target);
        this.out = p == null
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 64 * 1024)
                : Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.ownsOut = p != null;
        this.thread = Thread.ofPlatform().name("ringway-access-log").daemon(true).unstarted(this::run);
        this.thread.start();
    }

    /** Called on an event loop: never blocks. */
    void offer(Entry e) {
        if (!queue.offer(e)) {
            dropped.incrementAndGet();
        }
    }

    long dropped() {
        return dropped.get();
    }

    private void run() {
        StringBuilder sb = new StringBuilder(256);
        while (running || !queue.isEmpty()) {
            Entry e = queue.poll();
            if (e == null) {
                try {
                    out.flush();
                } catch (IOException ignored) {
                    // nowhere to report it
                }
                LockSupport.parkNanos(5_000_000);
                continue;
            }
            sb.setLength(0);
            format(e, sb);
            try {
                out.write(sb.toString());
            } catch (IOException ignored) {
                dropped.incrementAndGet();
            }
        }
        try {
            out.flush();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    static void format(Entry e, StringBuilder sb) {
        sb.append(Instant.ofEpochMilli(e.epochMillis())).append(' ').append(e.client()).append(" \"")
                .append(e.method()).append(' ').append(e.uri()).append(' ').append(e.version()).append("\" ")
                .append(e.status()).append(' ').append(e.bytesOut()).append(' ')
                .append(e.nanos() / 1000).append("us host=").append(e.host() == null ? "-" : e.host())
                .append(" listener=").append(e.listener() == null ? "-" : e.listener())
                .append(" route=").append(e.route() == null ? "-" : e.route())
                .append(" backend=").append(e.backend() == null ? "-" : e.backend())
                .append(" upstream=").append(e.upstream() == null ? "-" : e.upstream()).append('\n');
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        if (ownsOut) {
            try {
                out.close();
            } catch (IOException ignored) {
                // ignore
            }
        }
    }
}
