package dev.ringway.conformance.model;

import java.util.List;
import java.util.Map;

/** Expectations of SCHEMA 4.2; which keys are set depends on the protocol. Null / false = not given. */
public record Expect(
        // HTTP family
        List<Integer> status,
        String backend,
        String backendFromHeader,
        String namespace,
        BackendRequest backendRequest,
        Map<String, String> responseHeaders,
        Map<String, List<String>> responseHeadersOneOf,
        List<String> absentResponseHeaders,
        boolean ignoreWhitespace,
        Redirect redirect,
        List<Mirror> mirroredTo,
        boolean servedByGateway,
        boolean httpFailure,
        boolean connectionError,
        boolean clientCertRequested,
        // websocket
        List<WsMessage> messages,
        // grpc
        String grpcCode,
        // tcp / tls
        String welcome,
        Map<String, String> replies,
        String tlsServerName,
        boolean connected,
        boolean connectionRejected,
        // udp
        boolean anyReply,
        String backendMatch,
        boolean dnsResponse) {

    /** What the echo server must have received (8.4); a given block replaces the default entirely. */
    public record BackendRequest(
            String method,
            String host,
            String path,
            Map<String, String> headers,
            List<String> absentHeaders,
            String sni,
            PemRef clientCert,
            String fullyQualifiedMethod) {}

    public record Redirect(String scheme, String host, Integer port, String path) {}

    public record Mirror(String backend, String namespace) {}

    /** One websocket exchange; text or binary payload (bytes). */
    public record WsMessage(byte[] send, boolean sendText, byte[] receive) {}

    /** The expected status codes, defaulting to 200. */
    public List<Integer> statusOrDefault() {
        return status == null ? List.of(200) : status;
    }
}
