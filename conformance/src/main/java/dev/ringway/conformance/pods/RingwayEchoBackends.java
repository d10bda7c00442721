package dev.ringway.conformance.pods;

import dev.ringway.io.echo.DnsEchoServer;
import dev.ringway.io.echo.EchoIdentity;
import dev.ringway.io.echo.EchoRuntime;
import dev.ringway.io.echo.EchoTls;
import dev.ringway.io.echo.EchoTransport;
import dev.ringway.io.echo.GrpcEchoServer;
import dev.ringway.io.echo.HttpEchoConfig;
import dev.ringway.io.echo.HttpEchoServer;
import dev.ringway.io.echo.TcpEchoConfig;
import dev.ringway.io.echo.TcpEchoServer;
import dev.ringway.io.echo.UdpEchoServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The echo backends of ECHO.md, run in-process with Ringway's own echo servers
 * ({@code dev.ringway.io.echo}): one server per Pod, configured from the Pod's environment as the
 * echo-basic image reads it (HTTP_PORT, H2C_PORT, HTTPS_PORT with TLS_SERVER_CERT/TLS_SERVER_PRIVKEY
 * and TLS_CLIENT_CACERTS; GRPC_ECHO_SERVER; TCP_ECHO_SERVER with TCP_PORT, TLS_PORT and
 * TLS_SERVER_CERT/TLS_SERVER_PRIV_KEY; UDP_ECHO_SERVER with UDP_PORT; CoreDNS on 53).
 */
public final class RingwayEchoBackends implements EchoBackends {
    private final EchoRuntime runtime;

    private RingwayEchoBackends(EchoRuntime runtime) {
        this.runtime = runtime;
    }

    /** Echo servers on the best available transport, sharing {@code threads} event loops. */
    public static RingwayEchoBackends create(int threads) {
        return new RingwayEchoBackends(EchoRuntime.create(EchoTransport.best(), threads));
    }

    @Override
    public Set<EchoKind> kinds() {
        return EnumSet.allOf(EchoKind.class);
    }

    @Override
    public EchoPod start(PodSpec spec) throws Exception {
        EchoIdentity id = new EchoIdentity(spec.name(), spec.namespace(), spec.env("SERVICE_NAME"), spec.env("INGRESS_NAME"));
        return switch (spec.kind()) {
            case HTTP -> {
                int httpPort = spec.port("HTTP_PORT", 3000);
                HttpEchoConfig.Builder b = HttpEchoConfig.builder(id).bindAddress(spec.address()).httpPort(httpPort)
                        .h2cPort(spec.port("H2C_PORT", 3001)).httpPortLabel(String.valueOf(httpPort)).logSink(line -> { });
                byte[] cert = spec.fileFromEnv("TLS_SERVER_CERT");
                byte[] key = spec.fileFromEnv("TLS_SERVER_PRIVKEY");
                if (cert != null && key != null) {
                    EchoTls tls = EchoTls.of(text(cert), text(key));
                    byte[] ca = spec.fileFromEnv("TLS_CLIENT_CACERTS");
                    if (ca != null) {
                        tls = tls.withClientCa(text(ca));
                    }
                    b.https(spec.port("HTTPS_PORT", 8443), tls);
                }
                HttpEchoServer s = HttpEchoServer.start(runtime, b.build());
                yield new Pod(spec, s, () -> s.requestLog().targets());
            }
            case GRPC -> {
                GrpcEchoServer s = GrpcEchoServer.start(runtime, new InetSocketAddress(spec.address(), spec.port("HTTP_PORT", 3000)),
                        id, line -> { });
                yield new Pod(spec, s, List::of);
            }
            case TCP -> {
                int tcpPort = spec.port("TCP_PORT", 3000);
                int tlsPort = spec.port("TLS_PORT", 8443);
                TcpEchoConfig.Builder b = TcpEchoConfig.builder(id).bindAddress(spec.address()).tcpPort(tcpPort)
                        .tcpPortLabel(String.valueOf(tcpPort)).tlsPortLabel(String.valueOf(tlsPort)).logSink(line -> { });
                byte[] cert = spec.fileFromEnv("TLS_SERVER_CERT");
                byte[] key = spec.fileFromEnv("TLS_SERVER_PRIV_KEY");
                if (cert != null && key != null) {
                    b.tls(tlsPort, EchoTls.of(text(cert), text(key)));
                }
                TcpEchoServer s = TcpEchoServer.start(runtime, b.build());
                yield new Pod(spec, s, List::of);
            }
            case UDP -> {
                UdpEchoServer s = UdpEchoServer.start(runtime, new InetSocketAddress(spec.address(), spec.port("UDP_PORT", 8080)),
                        id, line -> { });
                yield new Pod(spec, s, List::of);
            }
            case DNS -> {
                DnsEchoServer s = DnsEchoServer.start(runtime, new InetSocketAddress(spec.address(), 53));
                yield new Pod(spec, s, List::of);
            }
        };
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        runtime.close();
    }

    private record Pod(PodSpec spec, AutoCloseable server, java.util.function.Supplier<List<String>> log) implements EchoPod {
        @Override
        public boolean ready() {
            return true; // start() returns once every port is bound
        }

        @Override
        public List<String> requestLog() {
            return log.get();
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (Exception e) {
                // closing a test backend: nothing to do
            }
        }
    }
}
