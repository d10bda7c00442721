package dev.ringway.conformance.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.client.Sans;
import dev.ringway.conformance.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterTest {
    @TempDir
    Path dir;

    @Test
    void mergePatchFollowsRfc7386() {
        JsonNode target = Json.parse("""
                {"a":"b","c":{"d":"e","f":"g"},"l":[1,2,3],"k":1}""");
        JsonNode patch = Json.parse("""
                {"a":"z","c":{"f":null,"h":"i"},"l":[4],"k":null,"n":{"o":{"p":1}}}""");
        assertThat(MergePatch.apply(target, patch)).isEqualTo(Json.parse("""
                {"a":"z","c":{"d":"e","h":"i"},"l":[4],"n":{"o":{"p":1}}}"""));
        // RFC 7386 appendix examples
        assertThat(MergePatch.apply(Json.parse("{\"a\":[{\"b\":\"c\"}]}"), Json.parse("{\"a\":[1]}")))
                .isEqualTo(Json.parse("{\"a\":[1]}"));
        assertThat(MergePatch.apply(Json.parse("[\"a\",\"b\"]"), Json.parse("{\"a\":\"c\"}")))
                .isEqualTo(Json.parse("{\"a\":\"c\"}"));
        assertThat(MergePatch.apply(Json.parse("{\"e\":null}"), Json.parse("{\"a\":1}")))
                .isEqualTo(Json.parse("{\"e\":null,\"a\":1}"));
        assertThat(MergePatch.apply(Json.parse("{}"), Json.parse("{\"a\":{\"bb\":{\"ccc\":null}}}")))
                .isEqualTo(Json.parse("{\"a\":{\"bb\":{}}}"));
    }

    @Test
    void generationBumpsOnlyOnSpecChange() throws Exception {
        DirectoryObjectStore store = new DirectoryObjectStore(dir);
        Cluster c = new Cluster(store);
        ObjectKey key = new ObjectKey("Gateway", "ns", "gw");
        JsonNode written = c.put(Json.parse("""
                {"apiVersion":"gateway.networking.k8s.io/v1","kind":"Gateway",
                 "metadata":{"name":"gw","namespace":"ns","generation":7,"creationTimestamp":"2000-01-01T00:00:00Z"},
                 "spec":{"listeners":[{"name":"http","port":80}]}}"""));
        assertThat(written.at("/metadata/generation").asLong()).isEqualTo(1);
        String created = written.at("/metadata/creationTimestamp").asText();
        assertThat(created).isNotEqualTo("2000-01-01T00:00:00Z").endsWith("Z");
        // label change: no bump
        c.patch(key, Json.parse("{\"metadata\":{\"labels\":{\"a\":\"b\"}}}"));
        assertThat(c.generation(key)).isEqualTo(1);
        // status change: no bump
        c.patch(key, Json.parse("{\"status\":{\"x\":1}}"));
        assertThat(c.generation(key)).isEqualTo(1);
        // no-op patch: no bump
        c.patch(key, Json.parse("{\"spec\":{\"listeners\":[{\"name\":\"http\",\"port\":80}]}}"));
        assertThat(c.generation(key)).isEqualTo(1);
        // spec change: bump by one, creationTimestamp kept
        JsonNode after = c.patch(key, Json.parse("{\"spec\":{\"listeners\":[{\"name\":\"http\",\"port\":81}]}}"));
        assertThat(after.at("/metadata/generation").asLong()).isEqualTo(2);
        assertThat(after.at("/metadata/creationTimestamp").asText()).isEqualTo(created);
        // the file holds what was written
        JsonNode file = Json.parse(Files.readString(store.fileOf(key)));
        assertThat(file.at("/metadata/generation").asLong()).isEqualTo(2);
        assertThat(file.at("/metadata/labels/a").asText()).isEqualTo("b");
        // delete + recreate starts over
        assertThat(c.delete(key)).isTrue();
        assertThat(Files.exists(store.fileOf(key))).isFalse();
        c.put(after);
        assertThat(c.generation(key)).isEqualTo(1);
        // no temp files left behind
        try (var s = Files.walk(dir)) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("."))).isEmpty();
        }
    }

    @Test
    void clusterScopedKindsHaveNoNamespace() {
        Cluster c = new Cluster(new DirectoryObjectStore(dir));
        JsonNode gc = c.put(Json.parse("{\"kind\":\"GatewayClass\",\"metadata\":{\"name\":\"x\",\"namespace\":\"bogus\"},\"spec\":{}}"));
        assertThat(gc.at("/metadata/namespace").isMissingNode()).isTrue();
        assertThat(c.exists(new ObjectKey("GatewayClass", null, "x"))).isTrue();
    }

    @Test
    void preparerSubstitutesAndRewrites() {
        ManifestPreparer p = new ManifestPreparer("example.com/ctl", "cls",
                List.of(new ManifestPreparer.Address("IPAddress", "127.200.0.1")),
                List.of(new ManifestPreparer.Address("IPAddress", "192.0.2.1")));
        JsonNode gw = p.prepare(Json.parseYaml("""
                kind: Gateway
                metadata: {name: g, namespace: ns, generation: 5}
                spec:
                  gatewayClassName: other
                  addresses:
                    - {type: test/fake-invalid-type, value: "fake address teehee!"}
                    - {value: PLACEHOLDER_UNUSABLE_ADDRS}
                    - {value: PLACEHOLDER_USABLE_ADDRS}
                  listeners: [{name: "{GATEWAY_CLASS_NAME}-l", port: 80}]
                """));
        assertThat(gw.at("/spec/gatewayClassName").asText()).isEqualTo("cls");
        assertThat(gw.at("/metadata/generation").isMissingNode()).isTrue();
        assertThat(gw.at("/spec/listeners/0/name").asText()).isEqualTo("cls-l");
        assertThat(gw.at("/spec/addresses")).isEqualTo(Json.parse("""
                [{"type":"test/fake-invalid-type","value":"fake address teehee!"},
                 {"type":"IPAddress","value":"192.0.2.1"},{"type":"IPAddress","value":"127.200.0.1"}]"""));
        JsonNode gc = p.prepare(Json.parseYaml("kind: GatewayClass\nmetadata: {name: x}\nspec: {controllerName: \"{GATEWAY_CONTROLLER_NAME}\", description: d}\n"));
        assertThat(gc.at("/spec/controllerName").asText()).isEqualTo("example.com/ctl");
        JsonNode other = p.prepare(Json.parseYaml("kind: GatewayClass\nmetadata: {name: y}\nspec: {controllerName: someone/else}\n"));
        assertThat(other.at("/spec/controllerName").asText()).isEqualTo("example.com/ctl");
    }

    @Test
    void valueFromResolvesSecretsAndConfigMaps() {
        Cluster c = new Cluster(new DirectoryObjectStore(dir));
        c.put(Json.parse("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"namespace\":\"ns\"},\"data\":{\"ca.crt\":\"PEM\"}}"));
        c.put(Json.parse("{\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"namespace\":\"ns\"},\"data\":{\"k\":\""
                + Base64.getEncoder().encodeToString("secret!".getBytes(StandardCharsets.UTF_8)) + "\"}}"));
        JsonNode r = ValueFrom.resolve(Json.parseYaml("""
                data:
                  a: {valueFrom: {configMap: ns/cm, key: ca.crt}}
                  b: [{valueFrom: {secret: ns/s, key: k}}]
                  c: plain
                """), c);
        assertThat(r).isEqualTo(Json.parse("{\"data\":{\"a\":\"PEM\",\"b\":[\"secret!\"],\"c\":\"plain\"}}"));
    }

    @Test
    void certificatesFollowEchoMdSection8() throws Exception {
        List<JsonNode> objs = Certificates.generate();
        assertThat(objs).hasSize(14);
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        objs.forEach(o -> byName.put(Json.text(o, "metadata", "namespace") + "/" + Json.text(o, "metadata", "name")
                + "/" + Json.text(o, "kind"), o));
        JsonNode validity = byName.get("gateway-conformance-infra/tls-validity-checks-certificate/Secret");
        assertThat(Json.text(validity, "type")).isEqualTo("kubernetes.io/tls");
        X509Certificate cert = cert(validity);
        // the JDK cannot even list these SANs (URI "*"), as with upstream's certificates
        assertThat(Sans.of(cert)).containsExactlyInAnyOrder("uri:*", "dns:*.org", "dns:*.wildcard.org");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        String key = new String(Base64.getDecoder().decode(Json.text(validity, "data", "tls.key")), StandardCharsets.UTF_8);
        assertThat(key).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        JsonNode ca = byName.get("gateway-conformance-infra/tls-checks-ca-certificate/ConfigMap");
        X509Certificate caCert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Json.text(ca, "data", "ca.crt").getBytes(StandardCharsets.UTF_8)));
        assertThat(caCert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(caCert.getSubjectX500Principal().getName()).isEqualTo("CN=gatewayapi,O=Kubernetes Gateway API,C=US");
        assertThat(Json.text(ca, "data", "key.crt")).contains("PRIVATE KEY");
        X509Certificate leaf = cert(byName.get("gateway-conformance-infra/tls-checks-certificate/Secret"));
        leaf.verify(caCert.getPublicKey());
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=default,O=Acme Co");
        assertThat(Sans.of(leaf)).containsExactlyInAnyOrder("dns:abc.example.com", "dns:other.example.com",
                "uri:spiffe://abc.example.com/test-identity");
        X509Certificate client = cert(byName.get("gateway-conformance-infra/tls-checks-client-certificate/Secret"));
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(Sans.of(client)).isEmpty();
    }

    private static X509Certificate cert(JsonNode secret) throws Exception {
        byte[] pem = Base64.getDecoder().decode(Json.text(secret, "data", "tls.crt"));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }
}
