package dev.ringway.core.model;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Secret: {@code data} (base64) and {@code stringData}; the TLS keys of {@code kubernetes.io/tls}. */
public record Secret(String apiVersion, ObjectMeta metadata, String type, Map<String, String> data,
                     Map<String, String> stringData) implements Resource {
    public static final String TLS_TYPE = "kubernetes.io/tls";

    public Secret {
        type = type == null ? "Opaque" : type;
        data = Lists.copy(data);
        stringData = Lists.copy(stringData);
    }

    /**
     * The decoded value of a key: {@code stringData} wins over {@code data} (as the API server merges
     * them on write). Returns null when absent; throws IllegalArgumentException for bad base64.
     */
    public byte[] value(String key) {
        String s = stringData.get(key);
        if (s != null) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        String b = data.get(key);
        if (b == null) {
            return null;
        }
        return Base64.getMimeDecoder().decode(b);
    }

    @Override
    public String kind() {
        return Kinds.SECRET;
    }

    @Override
    public Secret withMetadata(ObjectMeta m) {
        return new Secret(apiVersion, m, type, data, stringData);
    }
}
