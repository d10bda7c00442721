package dev.ringway.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The metrics of one event loop. Only that loop writes them (plain single-writer increments
 * published with opaque stores: no lock, no atomic read-modify-write); a scrape reads every loop's
 * cells with opaque loads and sums them. Series are keyed by labels that come from the configuration
 * (listener, route rule, backend), never from request data, so their number is bounded by it.
 */
final class LoopMetrics {
    /** Upper bounds of the duration histogram, in seconds (Prometheus {@code le}); +Inf is implicit. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private static final long[] BUCKET_NANOS = nanos(BUCKETS);

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * The histograms of one (listener, route, backend): {@link #cells} the whole request (head read to
     * end of response written), {@link #upstream} the backend's part of it (request head written to the
     * backend to end of its response read, for the attempt that answered). Each: cells [0..B] bucket
     * counts (B = +Inf), [B+1] sum in nanoseconds.
     */
    static final class RequestSeries {
        final String listener;
        final String route;
        final String backend;
        final long[] cells = new long[BUCKETS.length + 2];
        final long[] upstream = new long[BUCKETS.length + 2];

        RequestSeries(String listener, String route, String backend) {
            this.listener = listener;
            this.route = route;
            this.backend = backend;
        }

        void record(long nanos) {
            observe(cells, BUCKET_NANOS, nanos);
        }

        void recordUpstream(long nanos) {
            observe(upstream, BUCKET_NANOS, nanos);
        }
    }

    /** Bucket bounds in nanoseconds from bounds in seconds. */
    static long[] nanos(double[] seconds) {
        long[] out = new long[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            out[i] = (long) (seconds[i] * 1e9);
        }
        return out;
    }

    /**
     * One observation in a histogram's cells: [0..B] bucket counts (B = +Inf, B = {@code bounds.length}),
     * [B+1] sum in nanoseconds. Single writer (the loop).
     */
    static void observe(long[] cells, long[] bounds, long nanos) {
        int i = 0;
        while (i < bounds.length && nanos > bounds[i]) {
            i++;
        }
        inc(cells, i, 1);
        inc(cells, bounds.length + 1, nanos);
    }

    /** Responses by status class for one listener: cells [0..4] = 1xx..5xx. */
    static final class ListenerSeries {
        final String listener;
        final long[] cells = new long[5];

        ListenerSeries(String listener) {
            this.listener = listener;
        }

        void status(int code) {
            int c = code / 100 - 1;
            if (c >= 0 && c < 5) {
                inc(cells, c, 1);
            }
        }
    }

    /**
     * One backend on this loop: counters (connect errors, retries, mirror copies dropped) and the
     * gauge of RequestMirror copies in flight to it, which also bounds them (per backend, like a
     * cluster's circuit breaker in Envoy: one hanging mirror does not starve the others).
     */
    static final class BackendSeries {
        static final int CONNECT_ERRORS = 0;
        static final int RETRIES = 1;
        static final int MIRRORS_DROPPED = 2;
        static final int MIRRORS_IN_FLIGHT = 3;
        final String backend;
        final long[] cells = new long[4];

        BackendSeries(String backend) {
            this.backend = backend;
        }
    }

    // Loop-only lookup maps; the concurrent queues are what a scrape iterates.
    private final HashMap<String, HashMap<String, HashMap<String, RequestSeries>>> requestIndex = new HashMap<>();
    private final HashMap<String, ListenerSeries> listenerIndex = new HashMap<>();
    private final HashMap<String, BackendSeries> backendIndex = new HashMap<>();
    final ConcurrentLinkedQueue<RequestSeries> requestSeries = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<ListenerSeries> listenerSeries = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<BackendSeries> backendSeries = new ConcurrentLinkedQueue<>();

    /** [0] downstream opened, [1] downstream closed, [2] upstream opened, [3] upstream closed. */
    final long[] connections = new long[4];

    static final int DOWN_OPEN = 0;
    static final int DOWN_CLOSE = 1;
    static final int UP_OPEN = 2;
    static final int UP_CLOSE = 3;

    RequestSeries request(String listener, String route, String backend) {
        HashMap<String, HashMap<String, RequestSeries>> byRoute = requestIndex.get(listener);
        if (byRoute == null) {
            byRoute = new HashMap<>();
            requestIndex.put(listener, byRoute);
        }
        HashMap<String, RequestSeries> byBackend = byRoute.get(route);
        if (byBackend == null) {
            byBackend = new HashMap<>();
            byRoute.put(route, byBackend);
        }
        RequestSeries s = byBackend.get(backend);
        if (s == null) {
            s = new RequestSeries(listener, route, backend);
            byBackend.put(backend, s);
            requestSeries.add(s);
        }
        return s;
    }

    ListenerSeries listener(String listener) {
        ListenerSeries s = listenerIndex.get(listener);
        if (s == null) {
            s = new ListenerSeries(listener);
            listenerIndex.put(listener, s);
            listenerSeries.add(s);
        }
        return s;
    }

    BackendSeries backend(String backend) {
        BackendSeries s = backendIndex.get(backend);
        if (s == null) {
            s = new BackendSeries(backend);
            backendIndex.put(backend, s);
            backendSeries.add(s);
        }
        return s;
    }

    void connection(int which) {
        inc(connections, which, 1);
    }

    /** Single-writer increment: a plain add published with an opaque store (readers use {@link #get}). */
    static void inc(long[] cells, int i, long delta) {
        CELLS.setOpaque(cells, i, (long) CELLS.getOpaque(cells, i) + delta);
    }

    static long get(long[] cells, int i) {
        return (long) CELLS.getOpaque(cells, i);
    }
}
