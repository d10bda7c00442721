package dev.ringway.io;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every loop's {@link LoopMetrics}, summed at scrape time and rendered as Prometheus text. */
final class MetricsRegistry {
    final List<LoopMetrics> loops = new CopyOnWriteArrayList<>();
    /** Each event loop's turn cells ({@link TimedIoHandler}). */
    final List<long[]> loopTurns = new CopyOnWriteArrayList<>();

    long[] newLoopTurns() {
        long[] c = TimedIoHandler.newCells();
        loopTurns.add(c);
        return c;
    }

    LoopMetrics newLoop() {
        LoopMetrics m = new LoopMetrics();
        loops.add(m);
        return m;
    }

    void write(StringBuilder out) {
        int nb = LoopMetrics.BUCKETS.length;
        // Request durations.
        Map<String, long[]> req = new TreeMap<>();
        Map<String, long[]> up = new TreeMap<>();
        Map<String, long[]> status = new TreeMap<>();
        Map<String, long[]> backends = new TreeMap<>();
        long[] conns = new long[4];
        for (LoopMetrics m : loops) {
            for (LoopMetrics.RequestSeries s : m.requestSeries) {
                String key = "listener=\"" + esc(s.listener) + "\",route=\"" + esc(s.route) + "\",backend=\"" + esc(s.backend) + "\"";
                add(req.computeIfAbsent(key, k -> new long[nb + 2]), s.cells);
                add(up.computeIfAbsent(key, k -> new long[nb + 2]), s.upstream);
            }
            for (LoopMetrics.ListenerSeries s : m.listenerSeries) {
                long[] acc = status.computeIfAbsent(s.listener, k -> new long[5]);
                for (int i = 0; i < 5; i++) {
                    acc[i] += LoopMetrics.get(s.cells, i);
                }
            }
            for (LoopMetrics.BackendSeries s : m.backendSeries) {
                long[] acc = backends.computeIfAbsent(s.backend, k -> new long[s.cells.length]);
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += LoopMetrics.get(s.cells, i);
                }
            }
            for (int i = 0; i < 4; i++) {
                conns[i] += LoopMetrics.get(m.connections, i);
            }
        }
        histogram(out, "ringway_http_request_duration_seconds", "Time from request head to end of response.", req);
        histogram(out, "ringway_http_upstream_duration_seconds",
                "The backend's part of a request: from the request head written to the backend to the end of its response"
                        + " read (the attempt that answered; requests answered by the gateway itself are not counted).", up);
        long[] turns = new long[TimedIoHandler.BUCKETS.length + 3];
        for (long[] c : loopTurns) {
            add(turns, c);
        }
        histogram(out, "ringway_event_loop_busy_seconds", TimedIoHandler.BUCKETS,
                "Per event-loop turn that handled I/O: time handling its completions plus the tasks run after them"
                        + " (what a request arriving meanwhile waits behind).",
                Map.of("", turns));
        out.append("# HELP ringway_event_loop_io_events_total I/O events (completions) handled by the event loops.\n");
        out.append("# TYPE ringway_event_loop_io_events_total counter\n");
        out.append("ringway_event_loop_io_events_total ").append(turns[TimedIoHandler.BUCKETS.length + 2]).append('\n');
        out.append("# HELP ringway_http_responses_total HTTP responses sent, by status class.\n");
        out.append("# TYPE ringway_http_responses_total counter\n");
        for (Map.Entry<String, long[]> e : status.entrySet()) {
            for (int i = 0; i < 5; i++) {
                out.append("ringway_http_responses_total{listener=\"").append(esc(e.getKey())).append("\",code=\"")
                        .append(i + 1).append("xx\"} ").append(e.getValue()[i]).append('\n');
            }
        }
        out.append("# HELP ringway_downstream_connections_active Open client connections.\n");
        out.append("# TYPE ringway_downstream_connections_active gauge\n");
        out.append("ringway_downstream_connections_active ").append(conns[0] - conns[1]).append('\n');
        out.append("# HELP ringway_downstream_connections_total Client connections accepted.\n");
        out.append("# TYPE ringway_downstream_connections_total counter\n");
        out.append("ringway_downstream_connections_total ").append(conns[0]).append('\n');
        out.append("# HELP ringway_upstream_connections_active Open connections to backends.\n");
        out.append("# TYPE ringway_upstream_connections_active gauge\n");
        out.append("ringway_upstream_connections_active ").append(conns[2] - conns[3]).append('\n');
        out.append("# HELP ringway_upstream_connections_total Connections opened to backends.\n");
        out.append("# TYPE ringway_upstream_connections_total counter\n");
        out.append("ringway_upstream_connections_total ").append(conns[2]).append('\n');
        backendSeries(out, backends, "ringway_upstream_connect_errors_total", "counter",
                "Failed connection attempts to backends.", LoopMetrics.BackendSeries.CONNECT_ERRORS, true);
        backendSeries(out, backends, "ringway_upstream_retries_total", "counter",
                "Requests sent again to a backend (route retry policy).", LoopMetrics.BackendSeries.RETRIES, true);
        backendSeries(out, backends, "ringway_mirror_dropped_total", "counter",
                "RequestMirror copies not sent: the event loop's limit of copies in flight to that mirror backend was reached.",
                LoopMetrics.BackendSeries.MIRRORS_DROPPED, false);
        backendSeries(out, backends, "ringway_mirror_in_flight", "gauge",
                "RequestMirror copies sent to that mirror backend and not answered yet.",
                LoopMetrics.BackendSeries.MIRRORS_IN_FLIGHT, true);
    }

    private static void add(long[] acc, long[] cells) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += LoopMetrics.get(cells, i);
        }
    }

    private static void histogram(StringBuilder out, String name, String help, Map<String, long[]> series) {
        histogram(out, name, LoopMetrics.BUCKETS, help, series);
    }

    /**
     * Series keyed by their label text ("" for none): cells [0..B] counts, [B+1] sum in nanoseconds
     * (cells after those are not read).
     */
    private static void histogram(StringBuilder out, String name, double[] buckets, String help, Map<String, long[]> series) {
        int nb = buckets.length;
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        for (Map.Entry<String, long[]> e : series.entrySet()) {
            long[] c = e.getValue();
            String labels = e.getKey().isEmpty() ? "" : e.getKey() + ",";
            String plain = e.getKey().isEmpty() ? "" : "{" + e.getKey() + "}";
            long cum = 0;
            for (int i = 0; i <= nb; i++) {
                cum += c[i];
                out.append(name).append("_bucket{").append(labels).append("le=\"")
                        .append(i < nb ? fmt(buckets[i]) : "+Inf").append("\"} ").append(cum).append('\n');
            }
            out.append(name).append("_sum").append(plain).append(' ').append(c[nb + 1] / 1e9).append('\n');
            out.append(name).append("_count").append(plain).append(' ').append(cum).append('\n');
        }
    }

    /** One family over the backends' summed cells; {@code withZeros} false: only backends where it is not 0. */
    private static void backendSeries(StringBuilder out, Map<String, long[]> backends, String name, String type,
                                      String help, int cell, boolean withZeros) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (Map.Entry<String, long[]> e : backends.entrySet()) {
            long v = e.getValue()[cell];
            if (withZeros || v != 0) {
                out.append(name).append("{backend=\"").append(esc(e.getKey())).append("\"} ").append(v).append('\n');
            }
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : java.math.BigDecimal.valueOf(d).toPlainString();
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf('\\') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
