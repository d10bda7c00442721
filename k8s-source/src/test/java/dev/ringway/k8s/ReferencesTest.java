package dev.ringway.k8s;

import dev.ringway.k8s.source.References;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReferencesTest {
    @Test
    void secretsAndConfigMapsReferencedByGatewaysAndPolicies() throws Exception {
        var gateway = Harness.JSON.readTree("""
                {"kind":"Gateway","metadata":{"namespace":"infra","name":"gw"},"spec":{
                  "listeners":[{"name":"https","tls":{"certificateRefs":[{"name":"a"},{"name":"b","namespace":"other"},
                                                                          {"group":"example.com","kind":"Vault","name":"c"}],
                    "frontendValidation":{"caCertificateRefs":[{"group":"","kind":"ConfigMap","name":"ca"}]}}}],
                  "tls":{"backend":{"clientCertificateRef":{"name":"client"}}}}}""");
        assertThat(References.of(gateway)).containsExactlyInAnyOrder(
                new References.Ref("Secret", "infra", "a"), new References.Ref("Secret", "other", "b"),
                new References.Ref("ConfigMap", "infra", "ca"), new References.Ref("Secret", "infra", "client"));
        var policy = Harness.JSON.readTree("""
                {"kind":"BackendTLSPolicy","metadata":{"namespace":"apps","name":"p"},"spec":{
                  "validation":{"caCertificateRefs":[{"group":"","kind":"Secret","name":"s"}],"hostname":"x"}}}""");
        assertThat(References.of(policy)).containsExactly(new References.Ref("Secret", "apps", "s"));
    }
}
