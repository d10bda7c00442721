package dev.ringway.io.echo;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Configuration of an {@link HttpEchoServer} (ECHO.md section 3). Port 0 means an ephemeral port.
 *
 * @param bindAddress   address all listeners bind to
 * @param httpPort      plain HTTP/1.1 listener with all endpoints ({@code HTTP_PORT})
 * @param h2cPort       cleartext HTTP/2 listener ({@code H2C_PORT}); empty: none
 * @param httpsPort     TLS listener ({@code HTTPS_PORT}); present exactly when {@code tls} is
 * @param tls           certificate, key and optional client CA bundle of the TLS listener
 * @param identity      pod, namespace, service, ingress reported in the echo
 * @param httpPortLabel the {@code HTTP_PORT} value echoed as {@code httpPort}, whichever listener answered
 * @param logSink       receives the {@code Echoing back request made to ...} lines
 */
public record HttpEchoConfig(
        InetAddress bindAddress,
        int httpPort,
        OptionalInt h2cPort,
        OptionalInt httpsPort,
        Optional<EchoTls> tls,
        EchoIdentity identity,
        String httpPortLabel,
        Consumer<String> logSink) {

    public HttpEchoConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(h2cPort, "h2cPort");
        Objects.requireNonNull(httpsPort, "httpsPort");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(httpPortLabel, "httpPortLabel");
        Objects.requireNonNull(logSink, "logSink");
        checkPort(httpPort);
        h2cPort.ifPresent(HttpEchoConfig::checkPort);
        httpsPort.ifPresent(HttpEchoConfig::checkPort);
        if (httpsPort.isPresent() != tls.isPresent()) {
            throw new IllegalArgumentException("an HTTPS port needs TLS material and TLS material needs a port");
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
    }

    /**
     * A builder with the defaults: loopback address, HTTP on port 3000, no h2c, no HTTPS, {@code httpPort}
     * reported as {@code "3000"}, log lines to standard output.
     */
    public static Builder builder(EchoIdentity identity) {
        return new Builder(identity);
    }

    public static final class Builder {
        private final EchoIdentity identity;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int httpPort = 3000;
        private OptionalInt h2cPort = OptionalInt.empty();
        private OptionalInt httpsPort = OptionalInt.empty();
        private Optional<EchoTls> tls = Optional.empty();
        private String httpPortLabel = "3000";
        private Consumer<String> logSink = System.out::println;

        private Builder(EchoIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
        }

        public Builder bindAddress(InetAddress address) {
            this.bindAddress = address;
            return this;
        }

        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** Adds the h2c listener. */
        public Builder h2cPort(int port) {
            this.h2cPort = OptionalInt.of(port);
            return this;
        }

        /** Adds the HTTPS listener. */
        public Builder https(int port, EchoTls material) {
            this.httpsPort = OptionalInt.of(port);
            this.tls = Optional.of(material);
            return this;
        }

        public Builder httpPortLabel(String label) {
            this.httpPortLabel = label;
            return this;
        }

        public Builder logSink(Consumer<String> sink) {
            this.logSink = sink;
            return this;
        }

        public HttpEchoConfig build() {
            return new HttpEchoConfig(bindAddress, httpPort, h2cPort, httpsPort, tls, identity, httpPortLabel, logSink);
        }
    }
}
