package dev.ringway.io;

import dev.ringway.core.route.HeaderOps;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Header work per request on a typical browser-like request (9 fields): {@code baseline} builds the
 * fields only (subtract it); {@code forwarding} adds what every proxied request gets (hop-by-hop
 * removal, X-Forwarded-For/-Proto/-Host); {@code filter} additionally runs an HTTPRoute
 * RequestHeaderModifier with two sets, two adds and two removes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class HeaderFilterBenchmark {
    private final HeaderOps ops = new HeaderOps(
            List.of(HeaderOps.Header.of("X-Env", "prod"), HeaderOps.Header.of("X-Version", "2")),
            List.of(HeaderOps.Header.of("X-Trace", "on"), HeaderOps.Header.of("X-Added", "1")),
            List.of("x-debug", "cookie"));

    private static HttpHeaders request() {
        HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        h.add(HttpHeaderNames.HOST, "app.example.com");
        h.add(HttpHeaderNames.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36");
        h.add(HttpHeaderNames.ACCEPT, "text/html,application/xhtml+xml");
        h.add(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate, br");
        h.add(HttpHeaderNames.ACCEPT_LANGUAGE, "en-US,en;q=0.9");
        h.add(HttpHeaderNames.COOKIE, "session=abc123; theme=dark");
        h.add(HttpHeaderNames.CONNECTION, "keep-alive");
        h.add("X-Debug", "1");
        h.add("X-Request-Id", "8f14e45f-ceea-467f-a0e6-5d2b3c4d5e6f");
        return h;
    }

    @Benchmark
    public HttpHeaders baseline() {
        return request();
    }

    @Benchmark
    public HttpHeaders forwarding() {
        HttpHeaders h = request();
        HttpProxyHandler.FiltersAndHeaders.prepareRequestHeaders(h, "10.1.2.3", false, "app.example.com");
        return h;
    }

    @Benchmark
    public HttpHeaders filter() {
        HttpHeaders h = request();
        HttpProxyHandler.FiltersAndHeaders.prepareRequestHeaders(h, "10.1.2.3", false, "app.example.com");
        HttpFilters.apply(ops, h);
        return h;
    }
}
