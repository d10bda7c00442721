package dev.ringway.io;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the data plane runs. Build with {@link #defaults()} and the {@code with*} methods.
 *
 * @param transport   {@code auto} (io_uring, else epoll, else NIO), {@code io_uring}, {@code epoll} or {@code nio}
 * @param eventLoops  number of event loops; 0 means one per available core
 * @param limits      HTTP/1.1 parser limits (431/414 beyond them)
 * @param upstream    upstream connection settings
 * @param downstreamIdleTimeout  a client connection with no request in flight is closed after this
 * @param accessLog   null (off, the default), or where to write one line per request ({@code -} = stdout)
 * @param drain       default drain period for {@link DataPlane#close()}
 */
public record DataPlaneOptions(String transport, int eventLoops, Limits limits, Upstream upstream,
                               Duration downstreamIdleTimeout, String accessLog, Duration drain) {

    public DataPlaneOptions {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(downstreamIdleTimeout, "downstreamIdleTimeout");
        Objects.requireNonNull(drain, "drain");
        if (eventLoops < 0) {
            throw new IllegalArgumentException("eventLoops must be >= 0");
        }
    }

    /**
     * HTTP/1.1 request limits.
     *
     * @param maxInitialLineLength request line bytes (414 beyond)
     * @param maxHeaderSize        total header bytes (431 beyond)
     * @param maxHeaderCount       number of header fields (431 beyond)
     * @param maxChunkSize         largest body piece handed on at once (bodies are streamed, never aggregated)
     */
    public record Limits(int maxInitialLineLength, int maxHeaderSize, int maxHeaderCount, int maxChunkSize) {
        public static Limits defaults() {
            return new Limits(8192, 32 * 1024, 100, 64 * 1024);
        }
    }

    /**
     * Upstream (backend) connections.
     *
     * @param connectTimeout       TCP connect timeout (503 beyond)
     * @param maxIdlePerEndpoint   idle keep-alive connections kept per endpoint and event loop (1024 by default:
     *                             every HTTP/2 stream has its own HTTP/1.1 upstream exchange, and a cap below the
     *                             concurrency means closing and reopening connections on every burst)
     * @param idleTimeout          an idle pooled connection is closed after this
     * @param responseTimeout      longest wait for upstream bytes while a request is in flight when the
     *                             rule sets no timeout (504 if nothing was answered yet); zero disables
     * @param retryBodyLimit       a request body is kept for a possible retry (route {@code retry}) up to
     *                             this many bytes; a longer body that already went upstream is not retried
     * @param maxMirrorsInFlight   RequestMirror copies one event loop keeps in flight to one mirror backend (each holds an
     *                             upstream connection until the mirror answers); a copy beyond it is not sent
     *                             and is counted in {@code ringway_mirror_dropped_total}
     */
    public record Upstream(Duration connectTimeout, int maxIdlePerEndpoint, Duration idleTimeout, Duration responseTimeout,
                           int retryBodyLimit, int maxMirrorsInFlight) {
        public static final int DEFAULT_RETRY_BODY_LIMIT = 64 * 1024;
        public static final int DEFAULT_MAX_MIRRORS_IN_FLIGHT = 256;

        public Upstream {
            if (maxMirrorsInFlight < 0) {
                throw new IllegalArgumentException("maxMirrorsInFlight must be >= 0, was " + maxMirrorsInFlight);
            }
        }

        public Upstream(Duration connectTimeout, int maxIdlePerEndpoint, Duration idleTimeout, Duration responseTimeout) {
            this(connectTimeout, maxIdlePerEndpoint, idleTimeout, responseTimeout, DEFAULT_RETRY_BODY_LIMIT,
                    DEFAULT_MAX_MIRRORS_IN_FLIGHT);
        }

        public static Upstream defaults() {
            return new Upstream(Duration.ofSeconds(5), 1024, Duration.ofSeconds(30), Duration.ofSeconds(60));
        }

        public Upstream withRetryBodyLimit(int bytes) {
            return new Upstream(connectTimeout, maxIdlePerEndpoint, idleTimeout, responseTimeout, bytes, maxMirrorsInFlight);
        }

        public Upstream withMaxMirrorsInFlight(int n) {
            return new Upstream(connectTimeout, maxIdlePerEndpoint, idleTimeout, responseTimeout, retryBodyLimit, n);
        }
    }

    public static DataPlaneOptions defaults() {
        return new DataPlaneOptions("auto", 0, Limits.defaults(), Upstream.defaults(), Duration.ofSeconds(60), null,
                Duration.ofSeconds(10));
    }

    public DataPlaneOptions withTransport(String t) {
        return new DataPlaneOptions(t, eventLoops, limits, upstream, downstreamIdleTimeout, accessLog, drain);
    }

    public DataPlaneOptions withEventLoops(int n) {
        return new DataPlaneOptions(transport, n, limits, upstream, downstreamIdleTimeout, accessLog, drain);
    }

    public DataPlaneOptions withLimits(Limits l) {
        return new DataPlaneOptions(transport, eventLoops, l, upstream, downstreamIdleTimeout, accessLog, drain);
    }

    public DataPlaneOptions withUpstream(Upstream u) {
        return new DataPlaneOptions(transport, eventLoops, limits, u, downstreamIdleTimeout, accessLog, drain);
    }

    public DataPlaneOptions withDownstreamIdleTimeout(Duration d) {
        return new DataPlaneOptions(transport, eventLoops, limits, upstream, d, accessLog, drain);
    }

    /** Access log target: a file path, {@code -} for stdout, or null for none. */
    public DataPlaneOptions withAccessLog(String target) {
        return new DataPlaneOptions(transport, eventLoops, limits, upstream, downstreamIdleTimeout, target, drain);
    }

    public DataPlaneOptions withDrain(Duration d) {
        return new DataPlaneOptions(transport, eventLoops, limits, upstream, downstreamIdleTimeout, accessLog, d);
    }

    /** The number of event loops actually used. */
    public int effectiveEventLoops() {
        return eventLoops > 0 ? eventLoops : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    static Path accessLogPath(String target) {
        return target == null || target.equals("-") ? null : Path.of(target);
    }
}
