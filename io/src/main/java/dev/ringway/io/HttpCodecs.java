package dev.ringway.io;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The downstream HTTP/1.1 codec pieces, stricter than Netty's defaults. */
final class HttpCodecs {
    private HttpCodecs() {
    }

    /**
     * Trailer fields are rare, yet every last body piece carries a headers object for them: created
     * with room for two fields rather than sixteen (validated like the default ones).
     */
    static final HttpHeadersFactory SMALL_TRAILERS = new HttpHeadersFactory() {
        private final HttpHeadersFactory d = DefaultHttpHeadersFactory.trailersFactory();

        @Override
        public HttpHeaders newHeaders() {
            return d.newEmptyHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return d.newEmptyHeaders();
        }
    };

    /** The upstream response decoder's settings. */
    static HttpDecoderConfig responseDecoderConfig() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(64 * 1024)
                .setMaxChunkSize(64 * 1024)
                .setTrailersFactory(SMALL_TRAILERS);
    }

    // ---- shared names: the decoders hand out these constants instead of a new AsciiString per field ----

    /** Field names as senders commonly spell them, by length; looked up without allocating. */
    private static final AsciiString[][] COMMON_NAMES = new AsciiString[32][];

    static {
        String[] names = {"Server", "Date", "Content-Type", "Content-Length", "Connection", "Cache-Control",
                "Last-Modified", "ETag", "Accept-Ranges", "Vary", "Expires", "Content-Encoding", "Location", "Set-Cookie",
                "Transfer-Encoding", "Keep-Alive", "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language",
                "Cookie", "Referer", "Origin", "Authorization", "Upgrade", "Pragma", "TE", "Expect", "X-Forwarded-For",
                "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-Id", "X-Real-IP", "Strict-Transport-Security",
                "X-Content-Type-Options", "X-Frame-Options", "Access-Control-Allow-Origin", "If-None-Match",
                "If-Modified-Since", "Content-Language", "Content-Disposition", "Age", "Via", "Trailer"};
        java.util.Map<Integer, List<AsciiString>> byLength = new java.util.TreeMap<>();
        for (String n : names) {
            for (String spelling : new String[]{n, n.toLowerCase(java.util.Locale.ROOT)}) {
                List<AsciiString> l = byLength.computeIfAbsent(spelling.length(), k -> new java.util.ArrayList<>());
                AsciiString a = AsciiString.cached(spelling);
                if (!l.contains(a)) {
                    l.add(a);
                }
            }
        }
        byLength.forEach((len, l) -> {
            if (len < COMMON_NAMES.length) {
                COMMON_NAMES[len] = l.toArray(new AsciiString[0]);
            }
        });
    }

    /** The shared constant for a field name spelled exactly like a common one, or null. */
    static AsciiString commonName(byte[] b, int start, int length) {
        if (length >= COMMON_NAMES.length) {
            return null;
        }
        AsciiString[] candidates = COMMON_NAMES[length];
        if (candidates == null) {
            return null;
        }
        for (AsciiString c : candidates) {
            byte[] a = c.array();
            int off = c.arrayOffset();
            if (a[off] != b[start] || a[off + length - 1] != b[start + length - 1]) {
                continue;
            }
            int i = 1;
            while (i < length - 1 && a[off + i] == b[start + i]) {
                i++;
            }
            if (i >= length - 1) {
                return c;
            }
        }
        return null;
    }

    private static boolean same(byte[] b, int start, int length, String s) {
        if (length != s.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b[start + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // ---- header block encoding: one copy into the outgoing buffer instead of four per field ----

    /** Room for a usual header block; a field that does not fit is written on its own. */
    static final int SCRATCH_BYTES = 4096;

    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[SCRATCH_BYTES];
        }
    };

    /**
     * Writes header fields as {@code name: value CRLF} lines, byte for byte what Netty's
     * {@code HttpObjectEncoder.encodeHeaders} writes (a character above 255 becomes {@code ?}, as
     * Netty's ASCII writer does), but gathered in a per-thread array and copied into {@code buf}
     * once: Netty writes each name, separator, value and line end into the (direct) buffer with
     * its own bounds-checked copy, four per field.
     */
    static void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        byte[] a = SCRATCH.get();
        int n = 0;
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence name = e.getKey();
            CharSequence value = e.getValue();
            int len = name.length() + value.length() + 4;
            if (n + len > a.length) {
                buf.writeBytes(a, 0, n);
                n = 0;
                if (len > a.length) { // a field larger than the scratch: straight into the buffer
                    buf.writeCharSequence(name, CharsetUtil.ISO_8859_1); // Netty's ASCII writer: above 255 is '?'
                    buf.writeShort(':' << 8 | ' ');
                    buf.writeCharSequence(value, CharsetUtil.ISO_8859_1);
                    buf.writeShort('\r' << 8 | '\n');
                    continue;
                }
            }
            n = put(a, n, name);
            a[n++] = ':';
            a[n++] = ' ';
            n = put(a, n, value);
            a[n++] = '\r';
            a[n++] = '\n';
        }
        if (n > 0) {
            buf.writeBytes(a, 0, n);
        }
    }

    private static int put(byte[] a, int n, CharSequence s) {
        if (s instanceof AsciiString as) {
            int len = as.length();
            System.arraycopy(as.array(), as.arrayOffset(), a, n, len);
            return n + len;
        }
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            a[n++] = c > 255 ? (byte) '?' : (byte) c;
        }
        return n;
    }

    private static final String HTTP_1_1 = "HTTP/1.1";
    private static final String S200 = "200";
    private static final String OK = "OK";

    /**
     * The connection codec toward HTTP/1.1 backends: Netty's request encoder and response decoder,
     * paired like {@code HttpClientCodec} pairs them (a response to HEAD has no body, nor one to a
     * successful CONNECT; 1xx answers are not paired), with the common field names and the common
     * status line shared instead of allocated per response.
     */
    static final class UpstreamCodec extends CombinedChannelDuplexHandler<UpstreamCodec.Decoder, UpstreamCodec.Encoder> {
        private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(2);

        UpstreamCodec() {
            init(new Decoder(responseDecoderConfig(), methods), new Encoder(methods));
        }

        static final class Encoder extends HttpRequestEncoder {
            private final ArrayDeque<HttpMethod> methods;

            Encoder(ArrayDeque<HttpMethod> methods) {
                this.methods = methods;
            }

            @Override
            protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
                if (msg instanceof HttpRequest r) {
                    methods.add(r.method());
                }
                super.encode(ctx, msg, out);
            }

            @Override
            protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
                HttpCodecs.encodeHeaders(headers, buf);
            }
        }

        static final class Decoder extends HttpResponseDecoder {
            private final ArrayDeque<HttpMethod> methods;

            Decoder(HttpDecoderConfig config, ArrayDeque<HttpMethod> methods) {
                super(config);
                this.methods = methods;
            }

            @Override
            protected boolean isContentAlwaysEmpty(HttpMessage msg) {
                int code = ((HttpResponse) msg).status().code();
                if (code >= 100 && code < 200) {
                    return super.isContentAlwaysEmpty(msg); // interim: the request still waits for its answer
                }
                HttpMethod m = methods.poll();
                if (m == HttpMethod.HEAD || (m == HttpMethod.CONNECT && code == 200)) {
                    return true;
                }
                return super.isContentAlwaysEmpty(msg);
            }

            @Override
            protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
                AsciiString c = commonName(sb, start, length);
                return c != null ? c : super.splitHeaderName(sb, start, length);
            }

            @Override
            protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
                return same(sb, start, length, HTTP_1_1) ? HTTP_1_1 : super.splitFirstWordInitialLine(sb, start, length);
            }

            @Override
            protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
                return same(sb, start, length, S200) ? S200 : super.splitSecondWordInitialLine(sb, start, length);
            }

            @Override
            protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
                return same(sb, start, length, OK) ? OK : super.splitThirdWordInitialLine(sb, start, length);
            }
        }
    }

    /** Thrown into the decoder when a request carries both Content-Length and Transfer-Encoding. */
    static final class AmbiguousFramingException extends IllegalArgumentException {
        AmbiguousFramingException() {
            super("Content-Length together with Transfer-Encoding");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // an expected rejection, not a bug: no stack trace
        }
    }

    /**
     * A request decoder that rejects {@code Content-Length} together with {@code Transfer-Encoding}
     * (Netty's default drops the Content-Length and goes on, a request-smuggling vector behind a
     * proxy): the message fails to decode, the handler answers 400 and closes.
     */
    static final class StrictRequestDecoder extends HttpRequestDecoder {
        StrictRequestDecoder(DataPlaneOptions.Limits limits) {
            super(new HttpDecoderConfig()
                    .setMaxInitialLineLength(limits.maxInitialLineLength())
                    .setMaxHeaderSize(limits.maxHeaderSize())
                    .setMaxChunkSize(limits.maxChunkSize())
                    .setAllowDuplicateContentLengths(false)
                    .setStrictLineParsing(true)
                    .setValidateHeaders(true)
                    .setTrailersFactory(SMALL_TRAILERS));
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            throw new AmbiguousFramingException();
        }

        @Override
        protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
            AsciiString c = commonName(sb, start, length);
            return c != null ? c : super.splitHeaderName(sb, start, length);
        }
    }

    /**
     * Response encoder that knows when the response answers a HEAD request (the handler sets
     * {@link #head} just before writing the response head; responses are written one at a time in
     * request order), so that a chunked HEAD response gets no chunk terminator.
     */
    static final class ResponseEncoder extends HttpResponseEncoder {
        boolean head;

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            return head || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
            HttpCodecs.encodeHeaders(headers, buf);
        }
    }
}
