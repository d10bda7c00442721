package dev.ringway.conformance.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.model.Json;
import java.util.Set;

/** Identity of a Kubernetes object: kind, namespace (null for cluster-scoped kinds), name. */
public record ObjectKey(String kind, String namespace, String name) {
    /** Kinds without a namespace (those the manifests use). */
    public static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "GatewayClass", "CustomResourceDefinition",
            "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "Node");

    public ObjectKey {
        if (kind == null || kind.isEmpty() || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("object needs kind and metadata.name");
        }
        if (CLUSTER_SCOPED.contains(kind)) {
            namespace = null;
        } else if (namespace == null || namespace.isEmpty()) {
            namespace = "default";
        }
    }

    public static ObjectKey of(JsonNode obj) {
        return new ObjectKey(Json.text(obj, "kind"), Json.text(obj, "metadata", "namespace"),
                Json.text(obj, "metadata", "name"));
    }

    public boolean clusterScoped() {
        return namespace == null;
    }

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? "" : namespace + "/") + name;
    }
}
