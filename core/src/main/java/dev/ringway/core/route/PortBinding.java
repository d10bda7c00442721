package dev.ringway.core.route;

import java.util.List;

/**
 * Everything served on one bound socket. {@code kind} says how the first bytes are handled:
 * {@code HTTP} cleartext HTTP/1.1 and h2c ({@code http}); {@code TLS} a TLS handshake chosen by
 * SNI ({@code tls}), then HTTP ({@code http}) or a passthrough/terminated stream; {@code TCP} and
 * {@code UDP} forward to {@code l4}.
 */
public record PortBinding(BindAddress address, Kind kind, HttpRouter http, HostTable<TlsListener> tls,
                          L4Route l4, List<ListenerRef> listeners) {
    public enum Kind { HTTP, TLS, TCP, UDP }

    public PortBinding {
        listeners = List.copyOf(listeners);
    }
}
