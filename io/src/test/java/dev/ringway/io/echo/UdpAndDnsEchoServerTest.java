package dev.ringway.io.echo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link UdpEchoServer} and {@link DnsEchoServer} over real sockets, on every available transport. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.ringway.io.echo.TestTransports#transports")
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpAndDnsEchoServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Parameter
    EchoTransport transport;

    private EchoRuntime runtime;
    private UdpEchoServer udp;
    private DnsEchoServer dns;

    @BeforeEach
    void start() throws IOException {
        runtime = EchoRuntime.create(transport, 1);
        udp = UdpEchoServer.start(runtime, LOOPBACK_ANY_PORT,
                EchoIdentity.of("udp-backend-v1-5f6d7c8b9-zxcvb", "gateway-conformance-infra", "udp-backend-v1"),
                line -> {});
        dns = DnsEchoServer.start(runtime, LOOPBACK_ANY_PORT);
    }

    @AfterEach
    void stop() {
        udp.close();
        dns.close();
        runtime.close();
    }

    private static byte[] exchange(InetSocketAddress server, byte[] request, DatagramSocket socket) throws IOException {
        socket.setSoTimeout(5_000);
        socket.send(new DatagramPacket(request, request.length, server));
        DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
        socket.receive(reply);
        return Arrays.copyOf(reply.getData(), reply.getLength());
    }

    @Test
    void udpEchoesEveryDatagram() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (String payload : new String[] {"gateway-api-conformance-udp-echo", "gateway-api-conformance-udp-weight\n"}) {
                JsonNode reply = JSON.readTree(exchange(udp.address(), payload.getBytes(StandardCharsets.UTF_8), socket));
                assertThat(reply.path("request").asText()).isEqualTo(payload);
                assertThat(reply.path("service").asText()).isEqualTo("udp-backend-v1");
                assertThat(reply.path("namespace").asText()).isEqualTo("gateway-conformance-infra");
                assertThat(reply.path("pod").asText()).isEqualTo("udp-backend-v1-5f6d7c8b9-zxcvb");
                assertThat(reply.path("ingress").asText()).isEmpty();
            }
            byte[] big = "y".repeat(2000).getBytes(StandardCharsets.US_ASCII);
            assertThat(JSON.readTree(exchange(udp.address(), big, socket)).path("request").asText()).hasSize(1024);
        }
    }

    static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        out.writeBytes(new byte[] {0, (byte) type, 0, 1});
        return out.toByteArray();
    }

    @Test
    void dnsAnswersFooBarComLikeWhoami() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] query = query(0xBEEF, "foo.bar.com", 1);
            ByteBuffer reply = ByteBuffer.wrap(exchange(dns.address(), query, socket));
            assertThat(reply.getShort(0) & 0xFFFF).isEqualTo(0xBEEF);
            int flags = reply.getShort(2) & 0xFFFF;
            assertThat(flags & 0x8000).as("QR").isNotZero();
            assertThat(flags & 0x0400).as("AA").isNotZero();
            assertThat(flags & 0x0100).as("RD copied").isNotZero();
            assertThat(flags & 0x000F).as("RCODE").isZero();
            assertThat(reply.getShort(4)).as("QDCOUNT").isEqualTo((short) 1);
            assertThat(reply.getShort(6)).as("ANCOUNT").isZero();
            assertThat(reply.getShort(10)).as("ARCOUNT").isEqualTo((short) 2);
            int questionEnd = query.length;
            assertThat(Arrays.copyOfRange(reply.array(), 12, questionEnd)).isEqualTo(Arrays.copyOfRange(query, 12, questionEnd));
            // A record: pointer, type A, class IN, TTL, length 4, 127.0.0.1
            reply.position(questionEnd);
            assertThat(reply.getShort() & 0xFFFF).isEqualTo(0xC00C);
            assertThat(reply.getShort()).isEqualTo((short) 1);
            assertThat(reply.getShort()).isEqualTo((short) 1);
            reply.getInt();
            assertThat(reply.getShort()).isEqualTo((short) 4);
            byte[] address = new byte[4];
            reply.get(address);
            assertThat(InetAddress.getByAddress(address)).isEqualTo(InetAddress.getLoopbackAddress());
            // SRV _udp.foo.bar.com with the client's port
            assertThat(reply.get()).isEqualTo((byte) 4);
            byte[] label = new byte[4];
            reply.get(label);
            assertThat(new String(label, StandardCharsets.US_ASCII)).isEqualTo("_udp");
            assertThat(reply.getShort() & 0xFFFF).isEqualTo(0xC00C);
            assertThat(reply.getShort()).isEqualTo((short) 33);
            reply.getShort();
            reply.getInt();
            assertThat(reply.getShort()).isEqualTo((short) 7);
            reply.getInt();
            assertThat(reply.getShort() & 0xFFFF).isEqualTo(socket.getLocalPort());
            assertThat(reply.get()).isZero();
            assertThat(reply.hasRemaining()).isFalse();
        }
    }

    @Test
    void dnsOutsideTheZoneIsServfailWithTheSameId() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            ByteBuffer reply = ByteBuffer.wrap(exchange(dns.address(), query(0x1234, "example.org", 28), socket));
            assertThat(reply.getShort(0)).isEqualTo((short) 0x1234);
            assertThat(reply.getShort(2) & 0x000F).isEqualTo(2);
        }
    }

    @Test
    void dnsDropsWhatIsNotAQuery() {
        InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5353);
        assertThat(DnsEchoServer.reply(new byte[5], client)).isEmpty();
        byte[] response = query(1, "foo.bar.com", 1);
        response[2] |= (byte) 0x80;
        assertThat(DnsEchoServer.reply(response, client)).isEmpty();
        byte[] truncated = Arrays.copyOf(query(7, "foo.bar.com", 1), 20);
        Optional<byte[]> formErr = DnsEchoServer.reply(truncated, client);
        assertThat(formErr).isPresent();
        assertThat(formErr.get()[3] & 0x0F).isEqualTo(1);
        assertThat(formErr.get()[1]).isEqualTo((byte) 7);
    }
}
