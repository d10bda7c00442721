package dev.ringway.conformance.pods;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.cluster.Cluster;
import dev.ringway.conformance.cluster.DirectoryObjectStore;
import dev.ringway.conformance.cluster.ObjectKey;
import dev.ringway.conformance.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodsAndSlicesTest {
    @TempDir
    Path dir;

    /** Pods that only record their spec (no servers). */
    static final class StubBackends implements EchoBackends {
        final List<PodSpec> started = new ArrayList<>();
        final Set<EchoKind> kinds;

        StubBackends(Set<EchoKind> kinds) {
            this.kinds = kinds;
        }

        @Override
        public Set<EchoKind> kinds() {
            return kinds;
        }

        @Override
        public EchoPod start(PodSpec spec) {
            started.add(spec);
            return new EchoPod() {
                public PodSpec spec() { return spec; }
                public boolean ready() { return true; }
                public List<String> requestLog() { return List.of(); }
                public void close() { started.remove(spec); }
            };
        }
    }

    private static final String MANIFESTS = """
            apiVersion: v1
            kind: Secret
            metadata: {name: cert, namespace: ns}
            data: {tls.crt: %s, tls.key: %s}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc, namespace: ns}
            spec:
              selector: {app: web}
              ports:
                - {name: first, port: 8080, targetPort: 3000}
                - {name: h2c, port: 8081, targetPort: 3001, appProtocol: kubernetes.io/h2c}
                - {name: tls, port: 443, targetPort: https}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: no-selector, namespace: ns}
            spec: {ports: [{port: 80}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: ns}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: echo
                      volumeMounts: [{name: v, mountPath: /etc/secret-volume}]
                      ports: [{name: https, containerPort: 8443}]
                      env:
                        - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                        - {name: NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                        - {name: SERVICE_NAME, value: svc}
                        - {name: TLS_SERVER_CERT, value: /etc/secret-volume/crt}
                        - {name: TLS_SERVER_PRIVKEY, value: /etc/secret-volume/key}
                  volumes:
                    - name: v
                      secret: {secretName: cert, items: [{key: tls.crt, path: crt}, {key: tls.key, path: key}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: grpc, namespace: ns}
            spec:
              selector: {matchLabels: {app: grpc}}
              template:
                metadata: {labels: {app: grpc}}
                spec: {containers: [{name: g, env: [{name: GRPC_ECHO_SERVER, value: "1"}]}]}
            """;

    @Test
    void podsFollowDeploymentsAndSlicesFollowSelectors() throws Exception {
        Cluster cluster = new Cluster(new DirectoryObjectStore(dir));
        String crt = Base64.getEncoder().encodeToString("CERT".getBytes(StandardCharsets.UTF_8));
        String key = Base64.getEncoder().encodeToString("KEY".getBytes(StandardCharsets.UTF_8));
        Json.readYamlDocuments(MANIFESTS.formatted(crt, key)).forEach(cluster::put);
        StubBackends backends = new StubBackends(Set.of(EchoKind.HTTP));
        try (PodManager pods = new PodManager(backends, 123)) {
            pods.sync(cluster);
            assertThat(backends.started).hasSize(2);
            PodSpec p = backends.started.get(0);
            assertThat(p.name()).matches("web-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}");
            assertThat(p.env()).containsEntry("POD_NAME", p.name()).containsEntry("NAMESPACE", "ns")
                    .containsEntry("SERVICE_NAME", "svc");
            assertThat(new String(p.fileFromEnv("TLS_SERVER_CERT"), StandardCharsets.UTF_8)).isEqualTo("CERT");
            assertThat(new String(p.fileFromEnv("TLS_SERVER_PRIVKEY"), StandardCharsets.UTF_8)).isEqualTo("KEY");
            assertThat(p.ports()).extracting(PodSpec.Port::port).containsExactly(3000, 3001, 8443);
            assertThat(p.address().getHostAddress()).startsWith("127.123.");
            assertThat(backends.started.get(1).address()).isNotEqualTo(p.address());
            assertThat(pods.unavailableKinds("ns")).containsExactly(EchoKind.GRPC);

            EndpointSlices.sync(cluster, pods);
            List<JsonNode> slices = cluster.list("EndpointSlice", "ns");
            assertThat(slices).hasSize(1);
            JsonNode s = slices.get(0);
            assertThat(Json.text(s, "metadata", "labels", EndpointSlices.SERVICE_NAME)).isEqualTo("svc");
            assertThat(Json.text(s, "addressType")).isEqualTo("IPv4");
            assertThat(s.get("ports")).isEqualTo(Json.parse("""
                    [{"name":"first","port":3000,"protocol":"TCP"},
                     {"name":"h2c","port":3001,"protocol":"TCP","appProtocol":"kubernetes.io/h2c"},
                     {"name":"tls","port":8443,"protocol":"TCP"}]"""));
            assertThat(s.get("endpoints")).hasSize(2);
            assertThat(s.at("/endpoints/0/targetRef/name").asText()).startsWith("web-");
            assertThat(s.at("/endpoints/0/conditions/ready").asBoolean()).isTrue();

            // deleting the Deployment stops its pods and empties the slice
            cluster.delete(new ObjectKey("Deployment", "ns", "web"));
            pods.sync(cluster);
            EndpointSlices.sync(cluster, pods);
            assertThat(backends.started).isEmpty();
            assertThat(cluster.list("EndpointSlice", "ns").get(0).get("endpoints")).isEmpty();
            // deleting the Service deletes its managed slice
            cluster.delete(new ObjectKey("Service", "ns", "svc"));
            EndpointSlices.sync(cluster, pods);
            assertThat(cluster.list("EndpointSlice", "ns")).isEmpty();
        }
    }

    @Test
    void endpointsStepFillsSlicesOfTheirFamily() throws Exception {
        Cluster cluster = new Cluster(new DirectoryObjectStore(dir));
        Json.readYamlDocuments(MANIFESTS.formatted("", "")).forEach(cluster::put);
        StubBackends backends = new StubBackends(Set.of(EchoKind.HTTP));
        try (PodManager pods = new PodManager(backends, 124)) {
            pods.sync(cluster);
            JsonNode v4 = Json.parseYaml("{kind: EndpointSlice, metadata: {name: m4, namespace: ns}, addressType: IPv4, ports: [{name: first-port, port: 3000, protocol: TCP}]}");
            JsonNode v6 = Json.parseYaml("{kind: EndpointSlice, metadata: {name: m6, namespace: ns}, addressType: IPv6, ports: [{name: first-port, port: 3000, protocol: TCP}]}");
            JsonNode filled = EndpointSlices.fill(v4, pods.pods("ns", "web"));
            assertThat(filled.get("endpoints")).hasSize(2);
            assertThat(filled.get("ports")).isEqualTo(v4.get("ports"));
            assertThat(EndpointSlices.fill(v6, pods.pods("ns", "web"))).isNull();
        }
    }
}
