package dev.ringway.core.model;

import java.util.Map;

/** ConfigMap (CA bundles for BackendTLSPolicy and frontend validation). */
public record ConfigMap(String apiVersion, ObjectMeta metadata, Map<String, String> data,
                        Map<String, String> binaryData) implements Resource {
    public ConfigMap {
        data = Lists.copy(data);
        binaryData = Lists.copy(binaryData);
    }

    @Override
    public String kind() {
        return Kinds.CONFIG_MAP;
    }

    @Override
    public ConfigMap withMetadata(ObjectMeta m) {
        return new ConfigMap(apiVersion, m, data, binaryData);
    }
}
