package dev.ringway.conformance.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.conformance.model.Json;
import dev.ringway.k8s.ApiKind;
import dev.ringway.k8s.ApiKinds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects written to a Kubernetes API server (the sandbox API server in tests) instead of files:
 * {@code ringway run --kubernetes} reads them through its informers, as in a cluster. Create, or
 * replace when it exists; the server owns {@code generation}, {@code resourceVersion}, {@code uid} and
 * {@code creationTimestamp}, so the runner's values are not sent. Kinds Ringway does not read
 * (Deployments, ...) are stored too, as a cluster would.
 */
public final class KubernetesObjectStore implements ObjectStore {
    private final KubernetesClient client;
    private final Map<ObjectKey, String> apiVersions = new ConcurrentHashMap<>();

    public KubernetesObjectStore(KubernetesClient client) {
        this.client = client;
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public void put(JsonNode object) {
        ObjectNode o = ((ObjectNode) object).deepCopy();
        ObjectNode meta = o.withObjectProperty("metadata");
        for (String f : new String[]{"resourceVersion", "uid", "generation", "creationTimestamp", "managedFields"}) {
            meta.remove(f);
        }
        o.remove("status");
        ObjectKey key = ObjectKey.of(o);
        String apiVersion = Json.text(o, "apiVersion");
        apiVersions.put(key, apiVersion);
        var op = client.genericKubernetesResources(context(apiVersion, key.kind(), key.clusterScoped()));
        GenericKubernetesResource r = Serialization.unmarshal(Json.write(o), GenericKubernetesResource.class);
        var res = key.clusterScoped() ? op.resource(r) : op.inNamespace(key.namespace()).resource(r);
        try {
            if (res.get() == null) {
                res.create();
            } else {
                res.update();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) { // created meanwhile: replace
                res.update();
            } else {
                throw e;
            }
        }
    }

    @Override
    public void delete(ObjectKey key) {
        String apiVersion = apiVersions.remove(key);
        if (apiVersion == null) {
            apiVersion = ApiKinds.byKind(key.kind()).map(ApiKind::apiVersion).orElse("v1");
        }
        var op = client.genericKubernetesResources(context(apiVersion, key.kind(), key.clusterScoped()));
        (key.clusterScoped() ? op.withName(key.name()) : op.inNamespace(key.namespace()).withName(key.name())).delete();
    }

    static ResourceDefinitionContext context(String apiVersion, String kind, boolean clusterScoped) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        var k = ApiKinds.byKind(kind);
        String plural = k.isPresent() && k.get().group().equals(group) ? k.get().plural() : plural(kind);
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(!clusterScoped).build();
    }

    private static String plural(String kind) {
        String k = kind.toLowerCase(java.util.Locale.ROOT);
        if (k.endsWith("s")) {
            return k + "es";
        }
        if (k.endsWith("y")) {
            return k.substring(0, k.length() - 1) + "ies";
        }
        return k + "s";
    }
}
