package dev.ringway.io.echo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import io.netty.handler.ssl.OpenSsl;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TcpEchoServer} over real sockets, plain and TLS, on every available transport. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.ringway.io.echo.TestTransports#transports")
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpEchoServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EchoIdentity IDENTITY =
            EchoIdentity.of("tcp-backend-v1-6b7c9d8f4-qwert", "gateway-conformance-infra", "tcp-backend-v1");

    @Parameter
    EchoTransport transport;

    private EchoRuntime runtime;
    private final List<TcpEchoServer> servers = new ArrayList<>();
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        runtime = EchoRuntime.create(transport, 1);
    }

    @AfterEach
    void stop() {
        servers.forEach(TcpEchoServer::close);
        runtime.close();
    }

    private TcpEchoServer server(EchoTls.Provider provider) throws IOException {
        TcpEchoServer server = TcpEchoServer.start(runtime, TcpEchoConfig.builder(IDENTITY)
                .tcpPort(0)
                .tls(0, TestCerts.serverTls().withProvider(provider))
                .logSink(logLines::add)
                .build());
        servers.add(server);
        return server;
    }

    /** A line-based client over a plain or TLS socket. */
    private record Lines(Socket socket, BufferedReader in, OutputStream out) implements AutoCloseable {
        static Lines over(Socket socket) throws IOException {
            socket.setSoTimeout(5_000);
            return new Lines(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8)), socket.getOutputStream());
        }

        String ask(String line) throws IOException {
            send(line);
            return in.readLine();
        }

        void send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static Lines plain(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5_000);
        return Lines.over(socket);
    }

    private static Lines tls(InetSocketAddress address, String serverName, AtomicInteger certRequests)
            throws Exception {
        SSLSocket socket = (SSLSocket) TestCerts.clientContext(TestCerts.CLIENT, certRequests).getSocketFactory()
                .createSocket();
        socket.connect(address, 5_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return Lines.over(socket);
    }

    @Test
    void plainProtocol() throws IOException {
        TcpEchoServer server = server(EchoTls.Provider.OPENSSL_IF_AVAILABLE);
        try (Lines client = plain(server.tcpAddress())) {
            assertThat(client.in().readLine()).isEqualTo("Gateway API Test TCP Server");
            assertThat(client.ask("PING")).isEqualTo("PONG");
            client.send("SOMETHING ELSE");
            assertThat(client.ask("IS_TLS")).isEqualTo("false");
            client.out().write("TEST\r\n".getBytes(StandardCharsets.US_ASCII));
            JsonNode test = JSON.readTree(client.in().readLine());
            assertThat(test.path("pod").asText()).isEqualTo(IDENTITY.pod());
            assertThat(test.path("namespace").asText()).isEqualTo(IDENTITY.namespace());
            assertThat(test.path("service").asText()).isEqualTo("tcp-backend-v1");
            assertThat(test.path("ingress").asText()).isEmpty();
            assertThat(test.path("tcpport").asText()).isEqualTo("3000");
            assertThat(test.path("tlsport").asText()).isEqualTo("8443");
            assertThat(test.path("isTLS").asBoolean(true)).isFalse();
            assertThat(test.has("tls")).isFalse();
            assertThat(client.ask("PING")).isEqualTo("PONG");
        }
        assertThat(logLines).hasSize(1);
    }

    @Test
    void tlsProtocolOnBothProviders() throws Exception {
        for (EchoTls.Provider provider : EchoTls.Provider.values()) {
            TcpEchoServer server = server(provider);
            AtomicInteger certRequests = new AtomicInteger();
            try (Lines client = tls(server.tlsAddress().orElseThrow(), TestCerts.SERVER_NAME, certRequests)) {
                assertThat(client.in().readLine()).isEqualTo("Gateway API Test TCP Server");
                assertThat(client.ask("IS_TLS")).as(provider.name()).isEqualTo("true");
                JsonNode test = JSON.readTree(client.ask("TEST"));
                assertThat(test.path("isTLS").asBoolean(false)).isTrue();
                JsonNode tls = test.path("tls");
                assertThat(tls.path("serverName").asText()).isEqualTo(TestCerts.SERVER_NAME);
                assertThat(tls.path("version").asText()).isEqualTo("TLS 1.3");
                assertThat(tls.path("cipherSuite").asText())
                        .isEqualTo(((SSLSocket) client.socket()).getSession().getCipherSuite());
                assertThat(tls.has("negotiatedProtocol")).isFalse();
                if (provider == EchoTls.Provider.OPENSSL_IF_AVAILABLE && OpenSsl.isAvailable()) {
                    assertThat(tls.path("curves").asText()).isNotEmpty();
                }
                assertThat(client.ask("PING")).isEqualTo("PONG");
            }
            assertThat(certRequests).as("no client certificate is requested").hasValue(0);
        }
    }

    @Test
    void overlongLineEndsTheConnection() throws IOException {
        TcpEchoServer server = server(EchoTls.Provider.OPENSSL_IF_AVAILABLE);
        try (Lines client = plain(server.tcpAddress())) {
            assertThat(client.in().readLine()).isEqualTo("Gateway API Test TCP Server");
            try {
                client.send("x".repeat(100_000));
            } catch (IOException e) {
                // the server may already have closed
            }
            String line;
            try {
                line = client.in().readLine();
            } catch (IOException e) {
                line = null;
            }
            assertThat(line).isNull();
        }
    }
}
