package dev.ringway.conformance.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A request of SCHEMA 4.1; which keys are set depends on the protocol. Null = not given. */
public record Request(
        String method,
        String host,
        String path,
        Map<String, String> headers,
        String body,
        Map<String, String> echoSetResponseHeaders,
        String sni,
        PemRef caCert,
        PemRef clientCert,
        String origin,
        String grpcService,
        String grpcMethod,
        Map<String, String> metadata,
        List<String> send,
        Duration timeout,
        String payload,
        DnsQuery dnsQuery) {

    public record DnsQuery(String name, String type) {}

    public Request withPath(String p) {
        return new Request(method, host, p, headers, body, echoSetResponseHeaders, sni, caCert, clientCert, origin,
                grpcService, grpcMethod, metadata, send, timeout, payload, dnsQuery);
    }

    public Request withHeaders(Map<String, String> h) {
        return new Request(method, host, path, h, body, echoSetResponseHeaders, sni, caCert, clientCert, origin,
                grpcService, grpcMethod, metadata, send, timeout, payload, dnsQuery);
    }
}
