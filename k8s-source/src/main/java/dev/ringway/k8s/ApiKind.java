package dev.ringway.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;

/**
 * One kind Ringway reads from the API server: where it is served and the fabric8 model class its
 * informer uses.
 *
 * @param statusSubresource whether the kind has a {@code status} subresource Ringway writes
 * @param gatewayApi        a Gateway API kind (its CRD is in the standard channel)
 * @param referencedOnly    only objects referenced by a Gateway, ListenerSet or BackendTLSPolicy are
 *                          watched (one watch per referenced name), never the whole kind
 */
public record ApiKind(String kind, String group, String version, String plural, String singular, boolean namespaced,
                      boolean statusSubresource, boolean gatewayApi, boolean referencedOnly, List<String> shortNames,
                      Class<? extends HasMetadata> type) {
    public ApiKind {
        shortNames = List.copyOf(shortNames);
    }

    /** {@code group/version}, or {@code version} for the core group. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The REST path of the collection ({@code namespace} null: all namespaces or cluster-scoped). */
    public String collectionPath(String namespace) {
        String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        return namespaced && namespace != null ? base + "/namespaces/" + namespace + "/" + plural : base + "/" + plural;
    }
}
