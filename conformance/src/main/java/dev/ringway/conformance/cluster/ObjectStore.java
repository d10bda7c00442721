package dev.ringway.conformance.cluster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where the runner writes the objects the gateway reads. The file-directory implementation feeds
 * {@code ringway run --config DIR}; a Kubernetes-API implementation can be added behind the same interface.
 */
public interface ObjectStore {
    /** Creates or replaces the object (identified by kind, metadata.namespace, metadata.name). */
    void put(JsonNode object);

    void delete(ObjectKey key);
}
