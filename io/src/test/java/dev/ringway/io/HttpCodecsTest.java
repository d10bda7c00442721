package dev.ringway.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP/1.1 encoders' own header-block writer must produce what Netty's encoders produce, byte
 * for byte: the same messages go through Ringway's encoder and Netty's on two
 * {@link EmbeddedChannel}s and the bytes are compared.
 */
class HttpCodecsTest {
    /** Fields are taken as given (a value above 255 is not valid, and is here to be written as '?'). */
    private static final DefaultHttpHeadersFactory UNVALIDATED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final DefaultHttpHeadersFactory UNVALIDATED_TRAILERS =
            DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    /** Header sets that exercise the writer: shared names, plain strings, Latin-1, above 255, sizes. */
    private static final List<Consumer<HttpHeaders>> HEADER_SETS = List.of(
            h -> { },
            h -> h.add(AsciiString.cached("Content-Length"), "100").add("X-Plain", "value"),
            h -> h.add("Server", "nginx/1.22.1").add("Date", "Sat, 28 Nov 2026 02:30:00 GMT")
                    .add("Content-Type", AsciiString.of("text/plain")).add("Empty", ""),
            // obs-text (Latin-1) passes as its byte; a character above 255 becomes '?', as Netty writes it
            h -> h.add("X-Latin", "caf\u00e9 \u00ff").add("X-Wide", "snow\u2603man"),
            // more fields than the 4 KiB scratch holds: flushed part way
            h -> {
                for (int i = 0; i < 200; i++) {
                    h.add("X-Field-" + i, "v".repeat(i % 37));
                }
            },
            // a single field larger than the scratch, between small ones
            h -> h.add("A", "1").add("X-Huge", "h".repeat(HttpCodecs.SCRATCH_BYTES * 3)).add("B", "2"),
            h -> h.add("X-Exact", "e".repeat(HttpCodecs.SCRATCH_BYTES - "X-Exact".length() - 4)).add("C", "3"),
            // a field that overflows the scratch by one byte after a small one ("A: 1\r\n", 6 bytes)
            h -> h.add("A", "1").add("X-Exact", "e".repeat(HttpCodecs.SCRATCH_BYTES + 1 - 6 - "X-Exact".length() - 4)));

    @Test
    void responseHeadersAreWrittenAsNettyWritesThem() {
        int i = 0;
        for (Consumer<HttpHeaders> set : HEADER_SETS) {
            Supplier<DefaultHttpResponse> response = () -> {
                DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, UNVALIDATED);
                set.accept(r.headers());
                return r;
            };
            String ours = encode(new HttpCodecs.ResponseEncoder(), response.get(), LastHttpContent.EMPTY_LAST_CONTENT);
            String netty = encode(new HttpResponseEncoder(), response.get(), LastHttpContent.EMPTY_LAST_CONTENT);
            assertThat(ours).as("header set %d", i++).isEqualTo(netty).startsWith("HTTP/1.1 200 OK\r\n");
        }
    }

    @Test
    void requestHeadersAndTrailersAreWrittenAsNettyWritesThem() {
        int i = 0;
        for (Consumer<HttpHeaders> set : HEADER_SETS) {
            Supplier<DefaultFullHttpRequest> request = () -> {
                DefaultFullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/p?q=1",
                        Unpooled.EMPTY_BUFFER, UNVALIDATED, UNVALIDATED_TRAILERS);
                set.accept(r.headers());
                return r;
            };
            String ours = encode(new HttpCodecs.UpstreamCodec(), request.get());
            String netty = encode(new HttpRequestEncoder(), request.get());
            assertThat(ours).as("header set %d", i).isEqualTo(netty).startsWith("GET /p?q=1 HTTP/1.1\r\n");

            // the same fields as the trailer of a chunked body
            Supplier<HttpObject[]> chunked = () -> {
                DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/up", UNVALIDATED);
                head.headers().set("Transfer-Encoding", "chunked");
                DefaultLastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, UNVALIDATED_TRAILERS);
                set.accept(last.trailingHeaders());
                return new HttpObject[]{head, last};
            };
            String oursChunked = encode(new HttpCodecs.UpstreamCodec(), chunked.get());
            String nettyChunked = encode(new HttpRequestEncoder(), chunked.get());
            assertThat(oursChunked).as("trailer set %d", i++).isEqualTo(nettyChunked).endsWith("\r\n\r\n");
        }
    }

    private static String encode(ChannelHandler encoder, HttpObject... messages) {
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        try {
            for (HttpObject m : messages) {
                ch.write(m);
            }
            ch.flush();
            StringBuilder out = new StringBuilder();
            ByteBuf b;
            while ((b = ch.readOutbound()) != null) {
                out.append(b.toString(CharsetUtil.ISO_8859_1));
                b.release();
            }
            return out.toString();
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
