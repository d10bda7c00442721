package dev.ringway.conformance.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.conformance.cluster.ObjectKey;
import dev.ringway.conformance.model.Json;
import dev.ringway.k8s.ApiKind;
import dev.ringway.k8s.ApiKinds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Statuses as the API server stores them (written by Ringway's status writer), in the shape of the admin
 * API's {@code /status}: one item per object of a Gateway API kind with a non-empty status. The runner
 * reads this instead of {@code /status} in Kubernetes mode, so every status check also checks what
 * was written to the API server.
 */
public final class KubernetesStatusReader implements AdminClient.StatusSource {
    private final KubernetesClient client;

    public KubernetesStatusReader(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public AdminClient.Snapshot read() throws IOException {
        long now = System.currentTimeMillis();
        Map<ObjectKey, JsonNode> out = new LinkedHashMap<>();
        try {
            for (ApiKind k : ApiKinds.GATEWAY_API) {
                if (!k.statusSubresource()) {
                    continue;
                }
                var ctx = new ResourceDefinitionContext.Builder().withGroup(k.group()).withVersion(k.version())
                        .withKind(k.kind()).withPlural(k.plural()).withNamespaced(k.namespaced()).build();
                for (GenericKubernetesResource r : client.genericKubernetesResources(ctx).inAnyNamespace().list()
                        .getItems()) {
                    JsonNode obj = Json.parse(Serialization.asJson(r));
                    JsonNode status = obj.path("status");
                    if (!status.isObject() || status.isEmpty()) {
                        continue;
                    }
                    ObjectNode item = Json.object();
                    item.put("apiVersion", k.apiVersion());
                    item.put("kind", k.kind());
                    ObjectNode meta = item.putObject("metadata");
                    if (k.namespaced()) {
                        meta.put("namespace", obj.path("metadata").path("namespace").asText());
                    }
                    meta.put("name", obj.path("metadata").path("name").asText());
                    meta.put("generation", obj.path("metadata").path("generation").asLong());
                    item.set("status", status);
                    out.put(ObjectKey.of(item), item);
                }
            }
        } catch (KubernetesClientException | IllegalArgumentException e) {
            throw new IOException("reading statuses from the API server: " + e.getMessage(), e);
        }
        return new AdminClient.Snapshot(out, now);
    }
}
