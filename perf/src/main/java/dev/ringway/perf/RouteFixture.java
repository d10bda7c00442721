package dev.ringway.perf;

import dev.ringway.core.model.Resource;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParsedObject;
import dev.ringway.core.route.RouteSetGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A realistic large configuration: one Gateway, {@code routes} HTTPRoutes spread over
 * {@code hostnames} hostnames, each route with an exact match, a prefix match, a prefix+header
 * match and a regex-header match, 100 Services with endpoints. Also the request mix used to
 * measure lookup (hits on every match kind, plus misses).
 */
public final class RouteFixture {
    private RouteFixture() {
    }

    public static List<Resource> resources(int routes, int hostnames) {
        StringBuilder y = new StringBuilder("""
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: c}
                spec: {controllerName: ringway.dev/gateway-controller}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: bench}
                spec:
                  gatewayClassName: c
                  listeners: [{name: http, port: 80, protocol: HTTP}]
                """);
        for (int s = 0; s < 100; s++) {
            y.append("""
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata: {name: svc-%1$d, namespace: bench}
                    spec: {ports: [{name: http, port: 8080}]}
                    ---
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata: {name: svc-%1$d-a, namespace: bench, labels: {kubernetes.io/service-name: svc-%1$d}}
                    addressType: IPv4
                    ports: [{name: http, port: 3000}]
                    endpoints: [{addresses: [10.9.%2$d.1]}, {addresses: [10.9.%2$d.2]}]
                    """.formatted(s, s));
        }
        for (int r = 0; r < routes; r++) {
            int h = r % hostnames;
            y.append("""
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: route-%1$d, namespace: bench, creationTimestamp: "2024-01-01T00:00:%2$02dZ"}
                    spec:
                      parentRefs: [{name: gw}]
                      hostnames: [host-%3$d.example.com]
                      rules:
                      - matches: [{path: {type: Exact, value: /r%1$d/health}}]
                        backendRefs: [{name: svc-%4$d, port: 8080}]
                      - matches: [{path: {type: PathPrefix, value: /r%1$d/api/v2}, headers: [{name: X-API-Version, value: "2"}]}]
                        backendRefs: [{name: svc-%4$d, port: 8080}]
                      - matches: [{path: {type: PathPrefix, value: /r%1$d/api}, headers: [{name: X-User-Tier, type: RegularExpression, value: "^(premium|enterprise)$"}]}]
                        backendRefs: [{name: svc-%4$d, port: 8080, weight: 90}, {name: svc-%5$d, port: 8080, weight: 10}]
                      - matches: [{path: {type: PathPrefix, value: /r%1$d}}]
                        backendRefs: [{name: svc-%4$d, port: 8080}]
                    """.formatted(r, r % 60, h, r % 100, (r + 1) % 100));
        }
        var result = ManifestParser.create().parse("bench.yaml", y.toString());
        if (result.hasErrors()) {
            throw new IllegalStateException(result.problems().toString());
        }
        return result.objects().stream().map(ParsedObject::resource).toList();
    }

    /** {@code n} requests: exact hits, prefix+header hits, regex-header hits, plain prefix hits and misses. */
    public static List<RouteSetGenerator.TestRequest> requests(int routes, int hostnames, int n, long seed) {
        Random rnd = new Random(seed);
        List<RouteSetGenerator.TestRequest> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(routes);
            String host = "host-" + (r % hostnames) + ".example.com";
            out.add(switch (rnd.nextInt(5)) {
                case 0 -> new RouteSetGenerator.TestRequest(host, "GET", "/r" + r + "/health", null, Map.of());
                case 1 -> new RouteSetGenerator.TestRequest(host, "GET", "/r" + r + "/api/v2/users/42", null,
                        Map.of("x-api-version", "2"));
                case 2 -> new RouteSetGenerator.TestRequest(host, "POST", "/r" + r + "/api/orders", "id=7",
                        Map.of("x-user-tier", "enterprise"));
                case 3 -> new RouteSetGenerator.TestRequest(host, "GET", "/r" + r + "/static/app.js", null, Map.of());
                default -> new RouteSetGenerator.TestRequest(host, "GET", "/nowhere/" + r, null, Map.of());
            });
        }
        return out;
    }
}
