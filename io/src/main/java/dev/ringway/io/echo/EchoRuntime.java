package dev.ringway.io.echo;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Event loops shared by any number of echo servers. Closing the runtime stops its threads; close the servers
 * first.
 */
public final class EchoRuntime implements AutoCloseable {
    private final EchoTransport transport;
    private final MultiThreadIoEventLoopGroup group;

    private EchoRuntime(EchoTransport transport, int threads) {
        if (!transport.isAvailable()) {
            throw new IllegalArgumentException("transport " + transport + " is not available on this machine");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.transport = transport;
        this.group = new MultiThreadIoEventLoopGroup(
                threads, new DefaultThreadFactory("echo-" + transport.name().toLowerCase(), true),
                transport.ioHandlerFactory());
    }

    /** A runtime on {@code transport} with {@code threads} event loops. */
    public static EchoRuntime create(EchoTransport transport, int threads) {
        return new EchoRuntime(transport, threads);
    }

    /** A runtime for callers that do not care about the transport: NIO, one event loop. */
    public static EchoRuntime nio() {
        return new EchoRuntime(EchoTransport.NIO, 1);
    }

    public EchoTransport transport() {
        return transport;
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Binds a TCP listener whose accepted connections are set up by {@code childHandler}. */
    Channel bindTcp(InetSocketAddress address, ChannelHandler childHandler) throws IOException {
        return bound(new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(childHandler)
                .bind(address));
    }

    /** Binds a UDP socket handled by {@code handler}. */
    Channel bindUdp(InetSocketAddress address, ChannelHandler handler) throws IOException {
        return bound(new Bootstrap()
                .group(group)
                .channel(transport.datagramChannelClass())
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(handler)
                .bind(address));
    }

    private static Channel bound(ChannelFuture bind) throws IOException {
        bind.awaitUninterruptibly();
        if (!bind.isSuccess()) {
            Throwable cause = bind.cause();
            throw cause instanceof IOException io ? io : new IOException("cannot bind: " + cause, cause);
        }
        return bind.channel();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
