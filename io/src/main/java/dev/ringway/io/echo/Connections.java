package dev.ringway.io.echo;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Connection-level helpers shared by the echo handlers. */
final class Connections {
    private Connections() {}

    /** The client address as Go prints {@code RemoteAddr}: {@code 1.2.3.4:5678}, {@code [::1]:5678}. */
    static String remoteAddress(Channel channel) {
        Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
        return format(connection.remoteAddress());
    }

    /** {@code 1.2.3.4:5678}, {@code [::1]:5678}. */
    static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            int scope = host.indexOf('%');
            if (scope >= 0) {
                host = host.substring(0, scope);
            }
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /**
     * Closes the TCP connection {@code channel} belongs to with a reset (SO_LINGER 0), without a TLS
     * close_notify.
     */
    static void reset(Channel channel) {
        Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
        connection.config().setOption(ChannelOption.SO_LINGER, 0);
        SslHandler ssl = connection.pipeline().get(SslHandler.class);
        if (ssl != null) {
            connection.pipeline().remove(ssl);
        }
        connection.close();
    }
}
