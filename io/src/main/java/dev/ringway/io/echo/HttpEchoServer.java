package dev.ringway.io.echo;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Optional;

/**
 * The HTTP echo server of the conformance suite (ECHO.md section 3): a plain HTTP/1.1 listener with all
 * endpoints, optionally an h2c listener and an HTTPS listener (HTTP/1.1 and HTTP/2 by ALPN, same endpoints).
 *
 * <pre>{@code
 * try (EchoRuntime runtime = EchoRuntime.nio();
 *      HttpEchoServer echo = HttpEchoServer.start(runtime, HttpEchoConfig.builder(
 *              EchoIdentity.of("infra-backend-v1-7d9f8c6b5-x2k4p", "gateway-conformance-infra"))
 *          .bindAddress(InetAddress.getByName("127.0.0.2")).httpPort(3000).h2cPort(3001).build())) {
 *     ...
 *     echo.requestLog().count("/mirror?x=1");
 * }
 * }</pre>
 */
public final class HttpEchoServer implements AutoCloseable {
    private static final int MAX_LINE_AND_HEADERS = 1 << 20;
    private static final int MAX_UPGRADE_REQUEST = 1 << 20;

    private final HttpEchoConfig config;
    private final HttpEchoService service;
    private final ChannelGroup channels = new DefaultChannelGroup("http-echo", GlobalEventExecutor.INSTANCE);
    private InetSocketAddress httpAddress;
    private Optional<InetSocketAddress> h2cAddress = Optional.empty();
    private Optional<InetSocketAddress> httpsAddress = Optional.empty();

    private HttpEchoServer(HttpEchoConfig config) {
        this.config = config;
        this.service = new HttpEchoService(config.identity(), config.httpPortLabel(), new EchoRequestLog(config.logSink()));
    }

    /** Binds the configured listeners; on failure nothing stays bound. */
    public static HttpEchoServer start(EchoRuntime runtime, HttpEchoConfig config) throws IOException {
        HttpEchoServer server = new HttpEchoServer(config);
        try {
            server.bind(runtime);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind(EchoRuntime runtime) throws IOException {
        Optional<SslContext> tls = config.tls().isPresent()
                ? Optional.of(TlsSupport.httpsContext(config.tls().get()))
                : Optional.empty();
        httpAddress = listen(runtime, config.httpPort(), new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                channels.add(ch);
                addHttp1(ch.pipeline(), Http1EchoHandler.Listener.ROUTED);
            }
        });
        if (config.h2cPort().isPresent()) {
            h2cAddress = Optional.of(listen(runtime, config.h2cPort().getAsInt(), new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    channels.add(ch);
                    initH2c(ch.pipeline());
                }
            }));
        }
        if (tls.isPresent()) {
            SslContext context = tls.get();
            httpsAddress = Optional.of(listen(runtime, config.httpsPort().orElseThrow(), new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    channels.add(ch);
                    ch.pipeline().addLast(context.newHandler(ch.alloc()), new AlpnHandler());
                }
            }));
        }
    }

    private InetSocketAddress listen(EchoRuntime runtime, int port, ChannelHandler childHandler) throws IOException {
        Channel listener = runtime.bindTcp(new InetSocketAddress(config.bindAddress(), port), childHandler);
        channels.add(listener);
        return (InetSocketAddress) listener.localAddress();
    }

    private static HttpServerCodec http1Codec() {
        return new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_LINE_AND_HEADERS)
                .setMaxHeaderSize(MAX_LINE_AND_HEADERS));
    }

    private void addHttp1(ChannelPipeline pipeline, Http1EchoHandler.Listener listener) {
        pipeline.addLast(http1Codec(), new FlowControlHandler(), new Http1EchoHandler(service, listener));
    }

    private Http2FrameCodec http2Codec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(250)
                        .maxHeaderListSize(MAX_LINE_AND_HEADERS))
                .build();
    }

    private Http2MultiplexHandler http2Multiplexer(boolean routed) {
        ChannelInitializer<Http2StreamChannel> streams = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2EchoStreamHandler(service, routed));
            }
        };
        return new Http2MultiplexHandler(streams, streams);
    }

    /**
     * h2c listener: HTTP/2 with prior knowledge, or HTTP/1.1 that may upgrade with {@code Upgrade: h2c}; HTTP/1.x
     * requests that stay HTTP/1.x go to {@link Http1EchoHandler} in {@link Http1EchoHandler.Listener#H2C} mode.
     */
    private void initH2c(ChannelPipeline pipeline) {
        HttpServerCodec codec = http1Codec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec,
                protocol -> AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new H2cUpgradeCodec(new Http2ServerUpgradeCodec(http2Codec(), http2Multiplexer(false)))
                        : null,
                MAX_UPGRADE_REQUEST);
        ChannelInitializer<Channel> priorKnowledge = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(http2Codec(), http2Multiplexer(false));
            }
        };
        pipeline.addLast(new CleartextHttp2ServerUpgradeHandler(codec, upgrade, priorKnowledge),
                new FlowControlHandler(), new Http1EchoHandler(service, Http1EchoHandler.Listener.H2C));
    }

    /** Removes the HTTP/1 handlers once a connection has become HTTP/2. */
    static void leaveHttp1(ChannelPipeline pipeline) {
        if (pipeline.get(Http1EchoHandler.class) != null) {
            pipeline.remove(Http1EchoHandler.class);
        }
        if (pipeline.get(FlowControlHandler.class) != null) {
            pipeline.remove(FlowControlHandler.class);
        }
        pipeline.channel().config().setAutoRead(true);
    }

    /** Netty's h2c upgrade, plus leaving HTTP/1 behind. */
    private record H2cUpgradeCodec(Http2ServerUpgradeCodec delegate) implements HttpServerUpgradeHandler.UpgradeCodec {
        @Override
        public Collection<CharSequence> requiredUpgradeHeaders() {
            return delegate.requiredUpgradeHeaders();
        }

        @Override
        public boolean prepareUpgradeResponse(ChannelHandlerContext ctx, FullHttpRequest request, HttpHeaders headers) {
            return delegate.prepareUpgradeResponse(ctx, request, headers);
        }

        @Override
        public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest request) {
            leaveHttp1(ctx.pipeline());
            delegate.upgradeTo(ctx, request);
        }
    }

    /** HTTPS: picks HTTP/2 or HTTP/1.1 by ALPN (HTTP/1.1 when the client offers none). */
    private final class AlpnHandler extends ApplicationProtocolNegotiationHandler {
        AlpnHandler() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                ctx.pipeline().addLast(http2Codec(), http2Multiplexer(true));
            } else {
                addHttp1(ctx.pipeline(), Http1EchoHandler.Listener.ROUTED);
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public HttpEchoConfig config() {
        return config;
    }

    /** Address of the plain HTTP listener (with the actual port when 0 was configured). */
    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    public Optional<InetSocketAddress> h2cAddress() {
        return h2cAddress;
    }

    public Optional<InetSocketAddress> httpsAddress() {
        return httpsAddress;
    }

    /** The record of echoed requests (ECHO.md section 3, "Log line"). */
    public EchoRequestLog requestLog() {
        return service.log();
    }

    /** Closes the listeners and all open connections. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly();
    }
}
