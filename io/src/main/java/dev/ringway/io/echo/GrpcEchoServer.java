package dev.ringway.io.echo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The gRPC echo server (ECHO.md section 4), plaintext HTTP/2 with prior knowledge. Service
 * {@code gateway_api_conformance.echo_basic.grpcecho.GrpcEcho}: {@code Echo} and {@code EchoTwo} answer an
 * {@code EchoResponse} whose {@code assertions} carry the called method, the request metadata, the authority and
 * the identity; {@code EchoThree}, other methods and other services (server reflection included) answer
 * UNIMPLEMENTED. Request messages are not parsed ({@code EchoRequest} is empty). No TLS listener: no conformance
 * manifest enables one.
 */
public final class GrpcEchoServer implements AutoCloseable {
    /** Full name of the echo service. */
    public static final String SERVICE = "gateway_api_conformance.echo_basic.grpcecho.GrpcEcho";

    private static final int STATUS_OK = 0;
    private static final int STATUS_UNIMPLEMENTED = 12;
    /** Headers grpc-go keeps out of the incoming metadata. */
    private static final Set<String> NOT_METADATA = Set.of("te", "grpc-timeout", "grpc-encoding", "grpc-message",
            "grpc-status", "grpc-message-type", "grpc-status-details-bin", "connection");

    private final Channel listener;
    private final ChannelGroup channels;

    private GrpcEchoServer(Channel listener, ChannelGroup channels) {
        this.listener = listener;
        this.channels = channels;
    }

    /** Binds {@code address} (port 0: ephemeral); log lines go to standard output. */
    public static GrpcEchoServer start(EchoRuntime runtime, InetSocketAddress address, EchoIdentity identity)
            throws IOException {
        return start(runtime, address, identity, System.out::println);
    }

    /** Binds {@code address} (port 0: ephemeral); one log line per call goes to {@code logSink}. */
    public static GrpcEchoServer start(EchoRuntime runtime, InetSocketAddress address, EchoIdentity identity,
            Consumer<String> logSink) throws IOException {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(logSink, "logSink");
        ChannelGroup channels = new DefaultChannelGroup("grpc-echo", GlobalEventExecutor.INSTANCE);
        ChannelInitializer<Http2StreamChannel> streams = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Call(identity, logSink));
            }
        };
        Channel listener = runtime.bindTcp(address, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                channels.add(ch);
                ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Http2MultiplexHandler(streams));
            }
        });
        channels.add(listener);
        return new GrpcEchoServer(listener, channels);
    }

    /** One RPC: answered when the client half-closes its stream. */
    private static final class Call extends ChannelInboundHandlerAdapter {
        private final EchoIdentity identity;
        private final Consumer<String> logSink;
        private Http2Headers requestHeaders;

        Call(EchoIdentity identity, Consumer<String> logSink) {
            this.identity = identity;
            this.logSink = logSink;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                boolean end = false;
                if (msg instanceof Http2HeadersFrame frame) {
                    if (requestHeaders == null) {
                        requestHeaders = frame.headers();
                    }
                    end = frame.isEndStream();
                } else if (msg instanceof Http2DataFrame frame) {
                    end = frame.isEndStream();
                }
                if (end && requestHeaders != null) {
                    answer(ctx, requestHeaders);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void answer(ChannelHandlerContext ctx, Http2Headers request) {
            CharSequence contentType = request.get("content-type");
            if (contentType == null || !contentType.toString().startsWith("application/grpc")) {
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("415"), true));
                return;
            }
            String path = String.valueOf(request.path());
            int slash = path.lastIndexOf('/');
            String service = slash > 0 ? path.substring(1, slash) : "";
            String method = slash >= 0 ? path.substring(slash + 1) : path;
            if (!service.equals(SERVICE)) {
                fail(ctx, STATUS_UNIMPLEMENTED, "unknown service " + service);
            } else if (method.equals("Echo") || method.equals("EchoTwo")) {
                logSink.accept("Received over plaintext: " + path + " from "
                        + Connections.remoteAddress(ctx.channel()));
                reply(ctx, echoResponse(path, request));
            } else if (method.equals("EchoThree")) {
                fail(ctx, STATUS_UNIMPLEMENTED, "method EchoThree not implemented");
            } else {
                fail(ctx, STATUS_UNIMPLEMENTED, "unknown method " + method + " for service " + service);
            }
        }

        /** EchoResponse { assertions = 1 }; Assertions { method 1, headers 2, authority 3, context 4 }. */
        private byte[] echoResponse(String fullMethod, Http2Headers request) {
            ProtoWriter assertions = new ProtoWriter().string(1, fullMethod);
            String authority = request.authority() == null ? "" : request.authority().toString();
            for (Map.Entry<CharSequence, CharSequence> h : request) {
                String name = h.getKey().toString();
                if ((name.startsWith(":") && !name.equals(":authority")) || NOT_METADATA.contains(name)) {
                    continue;
                }
                String value = h.getValue().toString();
                if (name.endsWith("-bin")) {
                    value = decodeBinary(value);
                } else {
                    value = HttpText.wireToUtf8(value);
                }
                assertions.message(2, new ProtoWriter().string(1, name).string(2, value));
            }
            assertions.string(3, HttpText.wireToUtf8(authority));
            assertions.message(4, new ProtoWriter()
                    .string(1, identity.namespace())
                    .string(2, identity.ingress())
                    .string(3, identity.service())
                    .string(4, identity.pod()));
            return new ProtoWriter().message(1, assertions).toByteArray();
        }

        private static String decodeBinary(String value) {
            try {
                return new String(Base64.getDecoder().decode(value.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return value;
            }
        }

        private static Http2Headers responseHeaders() {
            return new DefaultHttp2Headers().status("200").set("content-type", "application/grpc");
        }

        private static void reply(ChannelHandlerContext ctx, byte[] message) {
            ByteBuf framed = Unpooled.buffer(5 + message.length)
                    .writeByte(0) // not compressed
                    .writeInt(message.length)
                    .writeBytes(message);
            ctx.write(new DefaultHttp2HeadersFrame(responseHeaders(), false));
            ctx.write(new DefaultHttp2DataFrame(framed, false));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(
                    new DefaultHttp2Headers().set("grpc-status", Integer.toString(STATUS_OK)), true));
        }

        /** A trailers-only response. */
        private static void fail(ChannelHandlerContext ctx, int status, String message) {
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(responseHeaders()
                    .set("grpc-status", Integer.toString(status))
                    .set("grpc-message", percentEncode(message)), true));
        }

        /** gRPC's grpc-message encoding: printable ASCII except {@code %} as is, the rest as {@code %XX}. */
        private static String percentEncode(String message) {
            StringBuilder out = new StringBuilder(message.length());
            for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xFF;
                if (c >= 0x20 && c <= 0x7E && c != '%') {
                    out.append((char) c);
                } else {
                    out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                }
            }
            return out.toString();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The bound address (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Closes the listener and all open connections. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly();
    }
}
