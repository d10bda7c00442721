package dev.ringway.io;

import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.TlsListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.timeout.IdleStateEvent;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Which HTTP version a client connection speaks: prior-knowledge preface on cleartext, ALPN on TLS. */
final class ProtocolSelection {
    private ProtocolSelection() {
    }

    /** The HTTP/2 client connection preface (RFC 9113 3.4). */
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * First handler of a cleartext HTTP connection: compares the first bytes with the HTTP/2
     * preface and installs HTTP/2 when they all match, HTTP/1.1 at the first byte that does not
     * (a request line never starts like the preface beyond "P"). The bytes read so far are handed,
     * untouched, to the handlers installed.
     */
    static final class CleartextDetector extends ByteToMessageDecoder {
        private final NettyDataPlane dp;
        private final LoopState ls;
        private final BindAddress address;

        CleartextDetector(NettyDataPlane dp, LoopState ls, BindAddress address) {
            this.dp = dp;
            this.ls = ls;
            this.address = address;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int n = Math.min(in.readableBytes(), PREFACE.length);
            int base = in.readerIndex();
            for (int i = 0; i < n; i++) {
                if (in.getByte(base + i) != PREFACE[i]) {
                    dp.installHttp(ctx.pipeline(), ls, address, false, null, null);
                    ctx.pipeline().remove(this);
                    return;
                }
            }
            if (n == PREFACE.length) {
                H2Server.install(dp, ctx.pipeline(), ls, address, false, null, null);
                ctx.pipeline().remove(this);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent || evt == NettyDataPlane.DRAIN) {
                ctx.close(); // nothing (complete) was sent yet
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * After the TLS handshake of an HTTP listener: ALPN {@code h2} gets HTTP/2, anything else
     * (including no ALPN) HTTP/1.1. A failed handshake closes the connection quietly (a client
     * certificate refused, a client that went away).
     */
    static final class Alpn extends ApplicationProtocolNegotiationHandler {
        private final NettyDataPlane dp;
        private final LoopState ls;
        private final BindAddress address;
        private final TlsListener listener;
        private final String sni;

        Alpn(NettyDataPlane dp, LoopState ls, BindAddress address, TlsListener listener, String sni) {
            super(ApplicationProtocolNames.HTTP_1_1);
            this.dp = dp;
            this.ls = ls;
            this.address = address;
            this.listener = listener;
            this.sni = sni;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            dp.addIdle(ctx.pipeline());
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                H2Server.install(dp, ctx.pipeline(), ls, address, true, listener, sni);
            } else {
                dp.installHttp(ctx.pipeline(), ls, address, true, listener, sni);
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == NettyDataPlane.DRAIN) {
                ctx.close(); // the handshake is not even done
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
