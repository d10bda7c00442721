package dev.ringway.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 codec path one proxied request takes, on {@link EmbeddedChannel}s with the data
 * plane's own codecs: the client's request decoded ({@code StrictRequestDecoder}), the forwarding
 * fields set, the request encoded toward the backend and its response decoded ({@code UpstreamCodec}
 * with the upstream settings), the response encoded to the client ({@code ResponseEncoder}).
 * {@code decodeRequest} and {@code roundTrip} separate the client leg from the whole path.
 * Socket I/O, routing and the event loop are not in it (the peer benchmark has those).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dio.netty.leakDetection.level=disabled"})
public class Http1CodecBenchmark {
    private static final byte[] REQUEST = ("GET /small HTTP/1.1\r\nHost: 127.0.0.1:18085\r\n"
            + "User-Agent: wrk\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sat, 28 Nov 2026 02:30:00 GMT\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 100\r\nConnection: keep-alive\r\n\r\n"
            + "x".repeat(100)).getBytes(StandardCharsets.US_ASCII);

    private EmbeddedChannel client;
    private EmbeddedChannel upstream;
    private ByteBuf request;
    private ByteBuf response;

    @Setup
    public void setup() {
        client = new EmbeddedChannel(new HttpCodecs.StrictRequestDecoder(DataPlaneOptions.Limits.defaults()),
                new HttpCodecs.ResponseEncoder());
        upstream = new EmbeddedChannel(new HttpCodecs.UpstreamCodec());
        request = Unpooled.directBuffer(REQUEST.length).writeBytes(REQUEST);
        response = Unpooled.directBuffer(RESPONSE.length).writeBytes(RESPONSE);
    }

    @TearDown
    public void tearDown() {
        client.finishAndReleaseAll();
        upstream.finishAndReleaseAll();
        request.release();
        response.release();
    }

    @Benchmark
    public int decodeRequest() {
        client.writeInbound(request.retainedDuplicate());
        int n = 0;
        Object m;
        while ((m = client.readInbound()) != null) {
            n++;
            ReferenceCountUtil.release(m);
        }
        return n;
    }

    @Benchmark
    public long roundTrip() {
        long bytes = 0;
        client.writeInbound(request.retainedDuplicate());
        Object m;
        while ((m = client.readInbound()) != null) {
            if (m instanceof HttpRequest r) {
                HttpProxyHandler.FiltersAndHeaders.prepareRequestHeaders(r.headers(), "127.0.0.1", false, "127.0.0.1:18085");
            }
            upstream.write(m);
        }
        upstream.flush();
        while ((m = upstream.readOutbound()) != null) {
            bytes += ((ByteBuf) m).readableBytes();
            ReferenceCountUtil.release(m);
        }
        upstream.writeInbound(response.retainedDuplicate());
        while ((m = upstream.readInbound()) != null) {
            client.write((HttpObject) m);
        }
        client.flush();
        while ((m = client.readOutbound()) != null) {
            bytes += ((ByteBuf) m).readableBytes();
            ReferenceCountUtil.release(m);
        }
        return bytes;
    }
}
