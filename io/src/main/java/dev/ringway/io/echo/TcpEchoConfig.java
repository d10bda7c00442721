package dev.ringway.io.echo;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Configuration of a {@link TcpEchoServer} (ECHO.md section 5). Port 0 means an ephemeral port.
 *
 * @param bindAddress  address the listeners bind to
 * @param tcpPort      plain listener ({@code TCP_PORT})
 * @param tlsPort      TLS listener ({@code TLS_PORT}); present exactly when {@code tls} is
 * @param tls          certificate and key of the TLS listener (a client CA in it is ignored: ECHO.md section 5
 *                     requests no client certificate)
 * @param identity     pod, namespace, service, ingress reported by {@code TEST}
 * @param tcpPortLabel the {@code TCP_PORT} value reported as {@code tcpport}
 * @param tlsPortLabel the {@code TLS_PORT} value reported as {@code tlsport}
 * @param logSink      receives one line per connection
 */
public record TcpEchoConfig(
        InetAddress bindAddress,
        int tcpPort,
        OptionalInt tlsPort,
        Optional<EchoTls> tls,
        EchoIdentity identity,
        String tcpPortLabel,
        String tlsPortLabel,
        Consumer<String> logSink) {

    public TcpEchoConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tlsPort, "tlsPort");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(tcpPortLabel, "tcpPortLabel");
        Objects.requireNonNull(tlsPortLabel, "tlsPortLabel");
        Objects.requireNonNull(logSink, "logSink");
        if (tcpPort < 0 || tcpPort > 65535 || tlsPort.orElse(0) < 0 || tlsPort.orElse(0) > 65535) {
            throw new IllegalArgumentException("not a port: " + tcpPort + " / " + tlsPort);
        }
        if (tlsPort.isPresent() != tls.isPresent()) {
            throw new IllegalArgumentException("a TLS port needs TLS material and TLS material needs a port");
        }
    }

    /**
     * A builder with the defaults: loopback address, TCP on port 3000, no TLS, ports reported as {@code "3000"}
     * and {@code "8443"}, log lines to standard output.
     */
    public static Builder builder(EchoIdentity identity) {
        return new Builder(identity);
    }

    public static final class Builder {
        private final EchoIdentity identity;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int tcpPort = 3000;
        private OptionalInt tlsPort = OptionalInt.empty();
        private Optional<EchoTls> tls = Optional.empty();
        private String tcpPortLabel = "3000";
        private String tlsPortLabel = "8443";
        private Consumer<String> logSink = System.out::println;

        private Builder(EchoIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
        }

        public Builder bindAddress(InetAddress address) {
            this.bindAddress = address;
            return this;
        }

        public Builder tcpPort(int port) {
            this.tcpPort = port;
            return this;
        }

        /** Adds the TLS listener. */
        public Builder tls(int port, EchoTls material) {
            this.tlsPort = OptionalInt.of(port);
            this.tls = Optional.of(material);
            return this;
        }

        public Builder tcpPortLabel(String label) {
            this.tcpPortLabel = label;
            return this;
        }

        public Builder tlsPortLabel(String label) {
            this.tlsPortLabel = label;
            return this;
        }

        public Builder logSink(Consumer<String> sink) {
            this.logSink = sink;
            return this;
        }

        public TcpEchoConfig build() {
            return new TcpEchoConfig(bindAddress, tcpPort, tlsPort, tls, identity, tcpPortLabel, tlsPortLabel, logSink);
        }
    }
}
