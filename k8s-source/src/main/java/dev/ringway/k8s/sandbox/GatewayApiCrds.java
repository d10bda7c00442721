package dev.ringway.k8s.sandbox;

import dev.ringway.k8s.ApiKind;
import dev.ringway.k8s.ApiKinds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CustomResourceDefinitions for the Gateway API kinds, written by Ringway for its sandbox API server:
 * names, scope, the served version ({@code v1}), the status subresource and the printer columns of the
 * upstream standard channel, with a schema that accepts any object (no validation, no defaulting:
 * Ringway's parser applies the CRD defaults itself). Not the upstream CRDs: install those from the
 * Gateway API release on a real cluster.
 */
public final class GatewayApiCrds {
    private GatewayApiCrds() {
    }

    /** A printer column: {@code kubectl get} shows it (priority 0) or with {@code -o wide} (priority 1). */
    public record Column(String name, String type, String jsonPath, int priority) {
    }

    private static final Column AGE = new Column("Age", "date", ".metadata.creationTimestamp", 0);
    private static final Column HOSTNAMES = new Column("Hostnames", "string", ".spec.hostnames", 0);

    /** The upstream standard channel's printer columns (v1.6), by kind. */
    public static final Map<String, List<Column>> COLUMNS = Map.of(
            "GatewayClass", List.of(new Column("Controller", "string", ".spec.controllerName", 0),
                    new Column("Accepted", "string", ".status.conditions[?(@.type==\"Accepted\")].status", 0), AGE,
                    new Column("Description", "string", ".spec.description", 1)),
            "Gateway", List.of(new Column("Class", "string", ".spec.gatewayClassName", 0),
                    new Column("Address", "string", ".status.addresses[*].value", 0),
                    new Column("Programmed", "string", ".status.conditions[?(@.type==\"Programmed\")].status", 0), AGE),
            "HTTPRoute", List.of(HOSTNAMES, AGE),
            "GRPCRoute", List.of(HOSTNAMES, AGE),
            "TLSRoute", List.of(HOSTNAMES, AGE),
            "TCPRoute", List.of(AGE),
            "UDPRoute", List.of(AGE),
            "ReferenceGrant", List.of(AGE),
            "BackendTLSPolicy", List.of(AGE),
            "ListenerSet", List.of(new Column("Accepted", "string", ".status.conditions[?(@.type==\"Accepted\")].status", 0),
                    new Column("Programmed", "string", ".status.conditions[?(@.type==\"Programmed\")].status", 0), AGE));

    public static List<CustomResourceDefinition> all() {
        return ApiKinds.GATEWAY_API.stream().map(GatewayApiCrds::crd).toList();
    }

    public static CustomResourceDefinition crd(ApiKind k) {
        List<CustomResourceColumnDefinition> columns = new ArrayList<>();
        for (Column c : COLUMNS.getOrDefault(k.kind(), List.of(AGE))) {
            CustomResourceColumnDefinition d = new CustomResourceColumnDefinition();
            d.setName(c.name());
            d.setType(c.type());
            d.setJsonPath(c.jsonPath());
            if (c.priority() != 0) {
                d.setPriority(c.priority());
            }
            columns.add(d);
        }
        var version = new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder()
                .withName(k.version()).withServed(true).withStorage(true)
                .withAdditionalPrinterColumns(columns)
                .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
                        .withXKubernetesPreserveUnknownFields(true).build()).endSchema();
        if (k.statusSubresource()) {
            version = version.withNewSubresources().withNewStatus().endStatus().endSubresources();
        }
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(k.plural() + "." + k.group())
                .addToAnnotations("ringway.dev/note", "written by Ringway's sandbox API server; not the upstream CRD")
                .endMetadata()
                .withNewSpec().withGroup(k.group()).withScope(k.namespaced() ? "Namespaced" : "Cluster")
                .withNewNames().withKind(k.kind()).withListKind(k.kind() + "List").withPlural(k.plural())
                .withSingular(k.singular()).withShortNames(k.shortNames()).withCategories("gateway-api").endNames()
                .withVersions(version.build())
                .endSpec().build();
    }
}
