package dev.ringway.io;

import dev.ringway.core.route.Backend;
import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.Endpoint;
import dev.ringway.core.route.L4Route;
import dev.ringway.core.route.WeightedBackend;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * UDPRoute forwarding on one listening datagram socket (one per loop with SO_REUSEPORT): each
 * client address gets a session with its own connected upstream socket on the same loop, chosen
 * by the route's weights when the session starts; replies go back to the client from the
 * listening socket. Sessions idle for {@link #SESSION_IDLE_NANOS} are closed.
 */
final class UdpProxy extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final long SESSION_IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int MAX_EARLY = 16;

    private final NettyDataPlane dp;
    private final LoopState loop;
    private final BindAddress address;
    private final Transport transport;
    private final HashMap<InetSocketAddress, Session> sessions = new HashMap<>();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> sweeper;

    UdpProxy(NettyDataPlane dp, LoopState loop, BindAddress address, Transport transport) {
        this.dp = dp;
        this.loop = loop;
        this.address = address;
        this.transport = transport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        sweeper = ctx.executor().scheduleAtFixedRate(this::sweep, 10, 10, TimeUnit.SECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (Session s : sessions.values()) {
            s.close();
        }
        sessions.clear();
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket pkt) {
        this.ctx = ctx;
        InetSocketAddress client = pkt.sender();
        Session s = sessions.get(client);
        if (s == null) {
            ServingState.Binding b = dp.holder().get().binding(address);
            L4Route r = b == null ? null : b.binding.l4();
            WeightedBackend wb = r == null ? null : r.backends().pick(loop.balancer);
            Backend be = wb == null ? null : wb.backend();
            Endpoint ep = be == null || be.isInvalid() ? null : be.pick(loop.balancer);
            if (ep == null) {
                return; // nowhere to send it: UDP has no error to give back
            }
            s = new Session(client);
            sessions.put(client, s);
            s.open(ep.socketAddress());
        }
        s.send(pkt.content().retain());
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            if (now - s.lastActive > SESSION_IDLE_NANOS) {
                it.remove();
                s.close();
            }
        }
    }

    /** One client's flow: a connected upstream datagram socket and the datagrams waiting for it. */
    private final class Session extends SimpleChannelInboundHandler<DatagramPacket> {
        final InetSocketAddress client;
        final ArrayDeque<ByteBuf> early = new ArrayDeque<>(2);
        Channel up;
        long lastActive = System.nanoTime();
        boolean closed;

        Session(InetSocketAddress client) {
            this.client = client;
        }

        void open(InetSocketAddress target) {
            ChannelFuture f = new Bootstrap().group(loop.loop).channel(transport.datagramChannel()).handler(this)
                    .connect(target);
            f.addListener((ChannelFutureListener) cf -> {
                if (!cf.isSuccess() || closed) {
                    cf.channel().close();
                    drop();
                    sessions.remove(client, this);
                    return;
                }
                up = cf.channel();
                ByteBuf b;
                while ((b = early.poll()) != null) {
                    up.write(b, up.voidPromise());
                }
                up.flush();
            });
        }

        void send(ByteBuf b) {
            lastActive = System.nanoTime();
            Channel u = up;
            if (u == null) {
                if (early.size() >= MAX_EARLY) {
                    b.release();
                } else {
                    early.add(b);
                }
                return;
            }
            u.writeAndFlush(b, u.voidPromise());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext c, DatagramPacket reply) {
            lastActive = System.nanoTime();
            Channel listener = ctx.channel();
            listener.writeAndFlush(new DatagramPacket(reply.content().retain(), client), listener.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            // ICMP port unreachable and the like: keep the session, datagrams may be lost.
        }

        void close() {
            closed = true;
            drop();
            if (up != null) {
                up.close();
            }
        }

        private void drop() {
            ByteBuf b;
            while ((b = early.poll()) != null) {
                b.release();
            }
        }
    }
}
