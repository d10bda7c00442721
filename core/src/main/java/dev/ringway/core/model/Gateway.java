package dev.ringway.core.model;

import java.util.List;
import java.util.Map;

/** Gateway. */
public record Gateway(String apiVersion, ObjectMeta metadata, Spec spec) implements Resource {

    public record Spec(String gatewayClassName, List<Listener> listeners, List<Address> addresses,
                       Infrastructure infrastructure, AllowedListeners allowedListeners, GatewayTls tls,
                       /* experimental */ String defaultScope) {
        public Spec {
            listeners = Lists.copy(listeners);
            addresses = Lists.copy(addresses);
        }
    }

    public record Address(String type, String value) {
        public Address {
            type = type == null ? "IPAddress" : type;
        }
    }

    public record Infrastructure(Map<String, String> labels, Map<String, String> annotations,
                                 LocalObjectReference parametersRef) {
        public Infrastructure {
            labels = Lists.copy(labels);
            annotations = Lists.copy(annotations);
        }
    }

    /** Which ListenerSets may attach (default: none). */
    public record AllowedListeners(ListenerNamespaces namespaces) {
        public AllowedListeners {
            namespaces = namespaces == null ? new ListenerNamespaces("None", null) : namespaces;
        }
    }

    public record ListenerNamespaces(String from, LabelSelector selector) {
        public ListenerNamespaces {
            from = from == null ? "None" : from;
        }
    }

    /** {@code spec.tls}: client certificate toward backends and frontend client validation. */
    public record GatewayTls(Backend backend, Frontend frontend) {
    }

    public record Backend(SecretObjectReference clientCertificateRef) {
    }

    public record Frontend(FrontendTlsConfig defaultConfig, List<PerPort> perPort) {
        @com.fasterxml.jackson.annotation.JsonCreator
        public Frontend(@com.fasterxml.jackson.annotation.JsonProperty("default") FrontendTlsConfig defaultConfig,
                        @com.fasterxml.jackson.annotation.JsonProperty("perPort") List<PerPort> perPort) {
            this.defaultConfig = defaultConfig;
            this.perPort = Lists.copy(perPort);
        }

        @com.fasterxml.jackson.annotation.JsonProperty("default")
        @Override
        public FrontendTlsConfig defaultConfig() {
            return defaultConfig;
        }
    }

    public record PerPort(Integer port, FrontendTlsConfig tls) {
    }

    public record FrontendTlsConfig(Validation validation) {
    }

    public record Validation(List<ObjectReference> caCertificateRefs, String mode) {
        public Validation {
            caCertificateRefs = Lists.copy(caCertificateRefs);
            mode = mode == null ? "AllowValidOnly" : mode;
        }
    }

    @Override
    public String kind() {
        return Kinds.GATEWAY;
    }

    @Override
    public Gateway withMetadata(ObjectMeta m) {
        return new Gateway(apiVersion, m, spec);
    }
}
