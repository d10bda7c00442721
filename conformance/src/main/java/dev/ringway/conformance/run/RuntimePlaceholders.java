package dev.ringway.conformance.run;

import dev.ringway.conformance.model.Expect;
import dev.ringway.conformance.model.Request;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Substitutes {@code {uuid}} and {@code {attemptUuid}} (SCHEMA 7.4) in the strings of a request and expectation. */
final class RuntimePlaceholders {
    private RuntimePlaceholders() {}

    static UnaryOperator<String> of(String uuid, String attemptUuid) {
        return s -> s == null ? null : s.replace("{uuid}", uuid).replace("{attemptUuid}", attemptUuid);
    }

    private static Map<String, String> map(Map<String, String> m, UnaryOperator<String> f) {
        if (m == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(f.apply(k), f.apply(v)));
        return out;
    }

    private static List<String> list(List<String> l, UnaryOperator<String> f) {
        return l == null ? null : l.stream().map(f).toList();
    }

    static Request apply(Request r, UnaryOperator<String> f) {
        return new Request(r.method(), f.apply(r.host()), f.apply(r.path()), map(r.headers(), f), f.apply(r.body()),
                map(r.echoSetResponseHeaders(), f), r.sni(), r.caCert(), r.clientCert(), f.apply(r.origin()),
                r.grpcService(), r.grpcMethod(), map(r.metadata(), f), list(r.send(), f), r.timeout(),
                f.apply(r.payload()), r.dnsQuery());
    }

    static Expect apply(Expect e, UnaryOperator<String> f) {
        if (e == null) {
            return null;
        }
        Expect.BackendRequest b = e.backendRequest();
        Expect.BackendRequest br = b == null ? null : new Expect.BackendRequest(b.method(), f.apply(b.host()),
                f.apply(b.path()), map(b.headers(), f), b.absentHeaders(), b.sni(), b.clientCert(),
                b.fullyQualifiedMethod());
        Expect.Redirect rd = e.redirect() == null ? null : new Expect.Redirect(e.redirect().scheme(),
                e.redirect().host(), e.redirect().port(), f.apply(e.redirect().path()));
        return new Expect(e.status(), e.backend(), e.backendFromHeader(), e.namespace(), br,
                map(e.responseHeaders(), f), e.responseHeadersOneOf(), e.absentResponseHeaders(),
                e.ignoreWhitespace(), rd, e.mirroredTo(), e.servedByGateway(), e.httpFailure(), e.connectionError(),
                e.clientCertRequested(), e.messages(), e.grpcCode(), e.welcome(), e.replies(), e.tlsServerName(),
                e.connected(), e.connectionRejected(), e.anyReply(), e.backendMatch(), e.dnsResponse());
    }
}
