package dev.ringway.io;

import dev.ringway.core.route.L4Route;
import dev.ringway.core.route.TlsListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

import java.util.Locale;

/**
 * First handler of a TLS port: reads the ClientHello's server name without consuming it and picks
 * the {@link TlsListener} (exact, then wildcard, then catch-all; no SNI: the catch-all or the first
 * listener). A terminating listener gets an {@link SslHandler} with its certificate, followed by
 * the HTTP proxy (or a TCP relay for a terminated TLSRoute); a passthrough listener gets a raw
 * relay to its backend, the buffered ClientHello included.
 */
final class SniRouter extends AbstractSniHandler<TlsListener> {
    private final NettyDataPlane dp;
    private final LoopState loop;
    private final ServingState.Binding binding;

    SniRouter(NettyDataPlane dp, LoopState loop, ServingState.Binding binding) {
        super(10_000L);
        this.dp = dp;
        this.loop = loop;
        this.binding = binding;
    }

    @Override
    protected Future<TlsListener> lookup(ChannelHandlerContext ctx, String hostname) {
        String sni = hostname == null ? null : hostname.toLowerCase(Locale.ROOT);
        return ctx.executor().newSucceededFuture(binding.tls.select(sni));
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<TlsListener> future) {
        TlsListener l = future.isSuccess() ? future.getNow() : null;
        String sni = hostname == null ? null : hostname.toLowerCase(Locale.ROOT);
        if (l == null) {
            ctx.close();
            return;
        }
        if (!l.terminate()) {
            L4Route r = l.passthrough() == null ? null : l.passthrough().lookup(sni);
            if (r == null) {
                r = binding.binding.l4();
            }
            if (r == null) {
                ctx.close();
                return;
            }
            ctx.pipeline().replace(this, "relay", new TcpRelay(loop, r));
            return;
        }
        SslContext sc = binding.tls.context(l, sni);
        if (sc == null) {
            ctx.close();
            return;
        }
        SslHandler ssl = sc.newHandler(ctx.alloc());
        if (l.http()) {
            ctx.pipeline().addLast("alpn", new ProtocolSelection.Alpn(dp, loop, binding.binding.address(), l, sni));
        } else {
            L4Route r = l.passthrough() == null ? null : l.passthrough().lookup(sni);
            if (r == null) {
                r = binding.binding.l4();
            }
            ctx.pipeline().addLast("relay", new TcpRelay(loop, r));
        }
        ctx.pipeline().replace(this, "ssl", ssl);
    }
}
