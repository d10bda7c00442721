package dev.ringway.conformance.model;

/**
 * A reference to a key of a generated Secret or ConfigMap ({@code {secret: ns/name, key: K}} or
 * {@code {configMap: ns/name, key: K}}); key may be null where the schema has none (clientCert: tls.crt + tls.key).
 */
public record PemRef(boolean secret, String namespace, String name, String key) {
    public String kind() {
        return secret ? "Secret" : "ConfigMap";
    }

    @Override
    public String toString() {
        return (secret ? "secret " : "configMap ") + namespace + "/" + name + (key == null ? "" : "[" + key + "]");
    }
}
