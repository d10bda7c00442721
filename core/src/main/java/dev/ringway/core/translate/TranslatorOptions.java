package dev.ringway.core.translate;

/**
 * How to translate: the controller name whose GatewayClasses Ringway reconciles, and where
 * Gateways without {@code spec.addresses} listen.
 */
public record TranslatorOptions(String controllerName, AddressPolicy addresses) {
    public static final String DEFAULT_CONTROLLER_NAME = "ringway.dev/gateway-controller";

    public static TranslatorOptions defaults() {
        return new TranslatorOptions(DEFAULT_CONTROLLER_NAME, new AddressPolicy.Bind("0.0.0.0"));
    }

    /** Where a Gateway without {@code spec.addresses} listens. */
    public sealed interface AddressPolicy {
        /** Every such Gateway binds this address (default {@code 0.0.0.0}). */
        record Bind(String ip) implements AddressPolicy {
        }

        /** Each such Gateway gets its own address from this IPv4 CIDR, in namespace/name order. */
        record Pool(String cidr) implements AddressPolicy {
        }
    }
}
