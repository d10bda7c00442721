package dev.ringway.io;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

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
    }
}
