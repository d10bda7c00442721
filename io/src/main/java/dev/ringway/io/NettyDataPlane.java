package dev.ringway.io;

import dev.ringway.core.route.BindAddress;
import dev.ringway.core.route.PortBinding;
import dev.ringway.core.route.Snapshot;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The Netty data plane. {@link #create} starts the event loops (one per core by default) on the
 * chosen transport; {@link #apply} publishes a snapshot and binds/unbinds listener sockets;
 * {@link #writeMetrics} renders the per-loop counters; {@link #shutdown} drains.
 *
 * <p>Threading: apply and shutdown run on one private "ringway-apply" thread (serialised, may
 * block on binds and TLS context builds). Everything per connection runs on that connection's
 * event loop, together with its upstream connections; loops share only the immutable snapshot
 * (through {@link SnapshotHolder}) and nothing else.
 */
public final class NettyDataPlane implements DataPlane {
    private static final Logger LOG = LoggerFactory.getLogger(NettyDataPlane.class);

    /** User event fired on every client connection when draining starts. */
    static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    private final DataPlaneOptions options;
    private final Transport transport;
    private final MultiThreadIoEventLoopGroup group;
    private final List<EventLoop> loopList;
    private final IdentityHashMap<EventExecutor, LoopState> loops;
    private final SnapshotHolder holder = new SnapshotHolder();
    private final TlsContexts tls = new TlsContexts();
    private final BackendTlsContexts backendTls = new BackendTlsContexts(tls.provider());
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final AccessLog accessLog;
    private final ExecutorService applyThread;
    private final ChannelGroup clients;
    private final ConnectionCounter counter = new ConnectionCounter();
    /** Bound sockets by address (apply thread only). */
    private final Map<BindAddress, List<Channel>> sockets = new LinkedHashMap<>();
    private volatile boolean draining;
    private volatile CompletableFuture<Void> shutdownFuture;

    private NettyDataPlane(DataPlaneOptions options) throws IOException {
        this.options = options;
        this.transport = Transport.select(options.transport());
        int n = options.effectiveEventLoops();
        this.group = new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("ringway-io", true),
                TimedIoHandler.wrap(transport.ioHandlerFactory().get(), metrics));
        this.loops = new IdentityHashMap<>();
        this.loopList = new ArrayList<>();
        long seed = System.nanoTime();
        for (EventExecutor e : group) {
            EventLoop l = (EventLoop) e;
            loopList.add(l);
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            loops.put(l, new LoopState(l, transport, options, metrics.newLoop(), seed | 1));
        }
        this.accessLog = options.accessLog() == null ? null : new AccessLog(options.accessLog());
        this.applyThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ringway-apply");
            t.setDaemon(true);
            return t;
        });
        this.clients = new DefaultChannelGroup("ringway-clients", GlobalEventExecutor.INSTANCE);
        LOG.info("data plane started: transport={} eventLoops={} tls={}", transport.name(), n, tls.provider());
    }

    /** Starts the event loops; no socket is bound until the first {@link #apply}. */
    public static NettyDataPlane create(DataPlaneOptions options) {
        try {
            return new NettyDataPlane(options);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the data plane: " + e, e);
        }
    }

    public DataPlaneOptions options() {
        return options;
    }

    SnapshotHolder holder() {
        return holder;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    boolean draining() {
        return draining;
    }

    LoopState loopState(EventLoop l) {
        return loops.get(l);
    }

    // =====================================================================================
    // apply
    // =====================================================================================

    @Override
    public CompletionStage<ApplyResult> apply(Snapshot snapshot) {
        if (draining) {
            return CompletableFuture.failedFuture(new IllegalStateException("data plane is shutting down"));
        }
        return CompletableFuture.supplyAsync(() -> doApply(snapshot), applyThread);
    }

    private ApplyResult doApply(Snapshot snapshot) {
        ServingState st = ServingState.of(snapshot, tls, backendTls);
        for (String p : st.problems) {
            LOG.warn("snapshot {}: {}", snapshot.version(), p);
        }
        // Publish first: new connections and requests see the new configuration at once, also on
        // the sockets that stay bound.
        holder.set(st);
        Set<BindAddress> want = new HashSet<>();
        for (PortBinding pb : snapshot.bindings()) {
            want.add(pb.address());
        }
        for (Iterator<Map.Entry<BindAddress, List<Channel>>> it = sockets.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<BindAddress, List<Channel>> e = it.next();
            if (!want.contains(e.getKey())) {
                closeAll(e.getValue());
                it.remove();
                LOG.info("unbound {}", e.getKey());
            }
        }
        Set<BindAddress> bound = new HashSet<>();
        Map<BindAddress, String> failed = new HashMap<>();
        for (PortBinding pb : snapshot.bindings()) {
            BindAddress a = pb.address();
            if (sockets.containsKey(a)) {
                bound.add(a);
                continue;
            }
            try {
                List<Channel> chans = a.transport() == BindAddress.Transport.UDP ? bindUdp(a) : bindTcp(a);
                sockets.put(a, chans);
                bound.add(a);
                LOG.info("bound {} ({} socket{})", a, chans.size(), chans.size() == 1 ? "" : "s");
            } catch (Exception e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                failed.put(a, why);
                LOG.warn("cannot bind {}: {}", a, why);
            }
        }
        return new ApplyResult(snapshot.version(), bound, failed);
    }

    private List<Channel> bindTcp(BindAddress a) throws Exception {
        InetSocketAddress sa = new InetSocketAddress(InetAddress.ofLiteral(a.ip()), a.port());
        ChildInit init = new ChildInit(a);
        List<Channel> chans = new ArrayList<>();
        try {
            if (transport.reusePort()) {
                // One listening socket per loop: the kernel spreads connections, and each connection
                // is accepted and served by the same loop.
                for (EventLoop l : loopList) {
                    ServerBootstrap sb = serverBootstrap(l, l, init).option(UnixChannelOption.SO_REUSEPORT, true);
                    chans.add(sb.bind(sa).sync().channel());
                }
            } else {
                chans.add(serverBootstrap(group, group, init).bind(sa).sync().channel());
            }
        } catch (Exception e) {
            closeAll(chans);
            throw e;
        }
        return chans;
    }

    private ServerBootstrap serverBootstrap(EventLoopGroup parent, EventLoopGroup child, ChannelHandler init) {
        return new ServerBootstrap().group(parent, child).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(init);
    }

    private List<Channel> bindUdp(BindAddress a) throws Exception {
        InetSocketAddress sa = new InetSocketAddress(InetAddress.ofLiteral(a.ip()), a.port());
        List<Channel> chans = new ArrayList<>();
        try {
            List<EventLoop> ls = transport.reusePort() ? loopList : List.of(loopList.getFirst());
            for (EventLoop l : ls) {
                Bootstrap b = new Bootstrap().group(l).channel(transport.datagramChannel())
                        .handler(new UdpProxy(this, loops.get(l), a, transport));
                if (transport.reusePort()) {
                    b.option(UnixChannelOption.SO_REUSEPORT, true);
                }
                chans.add(b.bind(sa).sync().channel());
            }
        } catch (Exception e) {
            closeAll(chans);
            throw e;
        }
        return chans;
    }

    private static void closeAll(List<Channel> chans) {
        for (Channel c : chans) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Per-connection setup: the binding is looked up in the current snapshot for every connection. */
    @ChannelHandler.Sharable
    private final class ChildInit extends ChannelInitializer<Channel> {
        private final BindAddress address;

        ChildInit(BindAddress address) {
            this.address = address;
        }

        @Override
        protected void initChannel(Channel ch) {
            ChannelPipeline p = ch.pipeline();
            p.addLast("count", counter);
            if (draining) {
                ch.close();
                return;
            }
            LoopState ls = loops.get(ch.eventLoop());
            ServingState.Binding b = holder.get().binding(address);
            if (b == null || ls == null) {
                ch.close();
                return;
            }
            clients.add(ch);
            switch (b.binding.kind()) {
                case HTTP -> {
                    addIdle(p);
                    p.addLast("detect", new ProtocolSelection.CleartextDetector(NettyDataPlane.this, ls, address));
                }
                case TLS -> {
                    if (b.tls == null) {
                        ch.close();
                        return;
                    }
                    p.addLast("sni", new SniRouter(NettyDataPlane.this, ls, b));
                }
                case TCP -> p.addLast("relay", new TcpRelay(ls, b.binding.l4()));
                default -> ch.close();
            }
        }
    }

    /**
     * Adds the client idle timeout to a pipeline: an {@link io.netty.handler.timeout.IdleStateEvent}
     * when the client sent nothing for that long (the handlers close the connection then if no
     * request is in flight). Reader-idle only: watching writes too would cost a promise and a
     * listener per write on the hot path; tunnels, where only the server may talk, switch to
     * {@link #allIdle}.
     */
    void addIdle(ChannelPipeline p) {
        long idleMs = options.downstreamIdleTimeout().toMillis();
        if (idleMs > 0 && p.get("idle") == null) {
            p.addLast("idle", new IdleStateHandler(idleMs, 0, 0, TimeUnit.MILLISECONDS));
        }
    }

    /** Replaces the reader-idle timeout by one that counts traffic both ways (upgrade tunnels). */
    void allIdle(ChannelPipeline p) {
        long idleMs = options.downstreamIdleTimeout().toMillis();
        if (idleMs > 0 && p.get("idle") != null) {
            p.replace("idle", "idle", new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS));
        }
    }

    /** Adds the HTTP/1.1 proxy handlers at the end of a client pipeline. */
    void installHttp(ChannelPipeline p, LoopState ls, BindAddress address, boolean secure,
                     dev.ringway.core.route.TlsListener listener, String sni) {
        p.addLast("decoder", new HttpCodecs.StrictRequestDecoder(options.limits()));
        HttpCodecs.ResponseEncoder enc = new HttpCodecs.ResponseEncoder();
        p.addLast("encoder", enc);
        p.addLast("proxy", new HttpProxyHandler(this, ls, address, secure, listener, sni, enc));
    }

    /** Counts client connections per loop (gauge = opened - closed). */
    @ChannelHandler.Sharable
    private final class ConnectionCounter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            LoopState ls = loops.get(ctx.channel().eventLoop());
            if (ls != null) {
                ls.metrics.connection(LoopMetrics.DOWN_OPEN);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            LoopState ls = loops.get(ctx.channel().eventLoop());
            if (ls != null) {
                ls.metrics.connection(LoopMetrics.DOWN_CLOSE);
            }
            ctx.fireChannelInactive();
        }
    }

    // =====================================================================================
    // The rest of DataPlane
    // =====================================================================================

    @Override
    public Snapshot current() {
        return holder.get().snapshot;
    }

    @Override
    public String transport() {
        return transport.name();
    }

    @Override
    public void writeMetrics(StringBuilder out) {
        metrics.write(out);
        out.append("# HELP ringway_tls_client_certificate_unverified_total Client certificates let in without verifying (AllowInsecureFallback).\n");
        out.append("# TYPE ringway_tls_client_certificate_unverified_total counter\n");
        out.append("ringway_tls_client_certificate_unverified_total ").append(TlsContexts.InsecureFallback.UNVERIFIED.sum()).append('\n');
        if (accessLog != null) {
            out.append("# HELP ringway_access_log_dropped_total Access log lines dropped (queue full).\n");
            out.append("# TYPE ringway_access_log_dropped_total counter\n");
            out.append("ringway_access_log_dropped_total ").append(accessLog.dropped()).append('\n');
        }
    }

    /** The addresses currently bound (for tests and diagnostics). */
    public Set<BindAddress> boundAddresses() {
        try {
            return CompletableFuture.supplyAsync(() -> Set.copyOf(sockets.keySet()), applyThread).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized CompletionStage<Void> shutdown(Duration drain) {
        if (shutdownFuture != null) {
            return shutdownFuture;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        shutdownFuture = done;
        draining = true;
        Thread t = new Thread(() -> {
            try {
                doShutdown(drain);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "ringway-shutdown");
        t.setDaemon(true);
        t.start();
        return done;
    }

    private void doShutdown(Duration drain) throws Exception {
        // 1. Stop accepting.
        applyThread.submit(() -> {
            for (List<Channel> chans : sockets.values()) {
                closeAll(chans);
            }
            sockets.clear();
        }).get();
        applyThread.shutdown();
        LOG.info("draining {} client connection(s) for up to {}", clients.size(), drain);
        // 2. Idle keep-alive connections close now; busy ones answer with Connection: close, then close.
        for (Channel c : clients) {
            c.eventLoop().execute(() -> c.pipeline().fireUserEventTriggered(DRAIN));
        }
        for (LoopState ls : loops.values()) {
            ls.loop.execute(ls.pool::closeIdle);
        }
        long deadline = System.nanoTime() + drain.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // 3. Whatever is left is closed; then the loops stop.
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (accessLog != null) {
            accessLog.close();
        }
        LOG.info("data plane stopped");
    }
}
