package dev.ringway.io.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link GrpcEchoServer} spoken to with hand-made gRPC frames over a Netty HTTP/2 client. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.ringway.io.echo.TestTransports#transports")
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GrpcEchoServerTest {
    private static final EchoIdentity IDENTITY =
            EchoIdentity.of("grpc-infra-backend-v1-7d9f8c6b5-x2k4p", "gateway-conformance-infra");
    /** An empty EchoRequest, gRPC-framed. */
    private static final byte[] EMPTY_REQUEST = {0, 0, 0, 0, 0};

    @Parameter
    EchoTransport transport;

    private EchoRuntime runtime;
    private GrpcEchoServer server;

    @BeforeEach
    void start() throws IOException {
        runtime = EchoRuntime.create(transport, 1);
        server = GrpcEchoServer.start(runtime, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), IDENTITY,
                line -> {});
    }

    @AfterEach
    void stop() {
        server.close();
        runtime.close();
    }

    private static H2Client.Response call(H2Client client, String method, String... metadata) throws Exception {
        List<String> headers = new ArrayList<>(List.of("content-type", "application/grpc", "te", "trailers"));
        headers.addAll(List.of(metadata));
        return client.request("POST", "/" + GrpcEchoServer.SERVICE + "/" + method, "grpc.test:8080", EMPTY_REQUEST,
                headers.toArray(String[]::new)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void echoAndEchoTwoReportMethodMetadataAndIdentity() throws Exception {
        try (H2Client client = H2Client.priorKnowledge(server.address())) {
            for (String method : List.of("Echo", "EchoTwo")) {
                H2Client.Response response = call(client, method, "x-jitter", "42", "x-bytes-bin",
                        Base64.getEncoder().encodeToString("raw".getBytes(StandardCharsets.UTF_8)));
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("content-type")).isEqualTo("application/grpc");
                assertThat(response.trailers().get("grpc-status").toString()).isEqualTo("0");
                ByteBuffer framed = ByteBuffer.wrap(response.body());
                assertThat(framed.get()).isZero();
                assertThat(framed.getInt()).isEqualTo(response.body().length - 5);

                Proto echoResponse = Proto.parse(response.body(), 5);
                Proto assertions = echoResponse.message(1);
                assertThat(assertions.string(1)).isEqualTo("/" + GrpcEchoServer.SERVICE + "/" + method);
                assertThat(assertions.string(3)).isEqualTo("grpc.test:8080");
                Proto context = assertions.message(4);
                assertThat(context.string(1)).isEqualTo(IDENTITY.namespace());
                assertThat(context.string(4)).isEqualTo(IDENTITY.pod());
                List<Map.Entry<String, String>> metadata = assertions.messages(2).stream()
                        .map(h -> Map.entry(h.string(1), h.string(2))).toList();
                assertThat(metadata).contains(Map.entry(":authority", "grpc.test:8080"),
                        Map.entry("x-jitter", "42"), Map.entry("x-bytes-bin", "raw"),
                        Map.entry("content-type", "application/grpc"));
                assertThat(metadata).noneMatch(h -> h.getKey().equals("te") || h.getKey().equals(":path"));
            }
        }
    }

    @Test
    void echoThreeAndUnknownCallsAreUnimplemented() throws Exception {
        try (H2Client client = H2Client.priorKnowledge(server.address())) {
            H2Client.Response three = call(client, "EchoThree");
            assertThat(three.status()).isEqualTo(200);
            assertThat(three.header("grpc-status")).isEqualTo("12");
            assertThat(three.header("grpc-message")).isEqualTo("method EchoThree not implemented");
            assertThat(call(client, "EchoFour").header("grpc-status")).isEqualTo("12");
            H2Client.Response otherService = client.request("POST", "/other.Service/Echo", "g", EMPTY_REQUEST,
                    "content-type", "application/grpc").get(10, TimeUnit.SECONDS);
            assertThat(otherService.header("grpc-status")).isEqualTo("12");
            assertThat(otherService.header("grpc-message")).isEqualTo("unknown service other.Service");
            H2Client.Response notGrpc = client.request("POST", "/" + GrpcEchoServer.SERVICE + "/Echo", "g",
                    EMPTY_REQUEST, "content-type", "text/plain").get(10, TimeUnit.SECONDS);
            assertThat(notGrpc.status()).isEqualTo(415);
        }
    }

    /** Just enough protobuf reading for the test: length-delimited fields by number. */
    private record Proto(List<Map.Entry<Integer, byte[]>> fields) {
        static Proto parse(byte[] bytes, int offset) {
            List<Map.Entry<Integer, byte[]>> fields = new ArrayList<>();
            ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
            while (in.hasRemaining()) {
                int key = varint(in);
                assertThat(key & 7).as("only length-delimited fields are expected").isEqualTo(2);
                byte[] value = new byte[varint(in)];
                in.get(value);
                fields.add(Map.entry(key >>> 3, value));
            }
            return new Proto(fields);
        }

        private static int varint(ByteBuffer in) {
            int value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = in.get();
                value |= (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
        }

        String string(int field) {
            return fields.stream().filter(f -> f.getKey() == field).findFirst()
                    .map(f -> new String(f.getValue(), StandardCharsets.UTF_8)).orElse("");
        }

        Proto message(int field) {
            return messages(field).getFirst();
        }

        List<Proto> messages(int field) {
            return fields.stream().filter(f -> f.getKey() == field).map(f -> parse(f.getValue(), 0)).toList();
        }
    }
}
