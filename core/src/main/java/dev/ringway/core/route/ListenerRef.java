package dev.ringway.core.route;

/**
 * A listener by its owner: the Gateway, or a ListenerSet attached to it ({@code listenerSet} null
 * for the Gateway's own listeners). {@code label} is the bounded metrics label.
 */
public record ListenerRef(String gatewayNamespace, String gatewayName, String listenerSet, String name, String label) {
    public static ListenerRef of(String gatewayNamespace, String gatewayName, String listenerSet, String name) {
        String label = gatewayNamespace + "/" + gatewayName + "/" + (listenerSet == null ? "" : listenerSet + "/") + name;
        return new ListenerRef(gatewayNamespace, gatewayName, listenerSet, name, label);
    }

    @Override
    public String toString() {
        return label;
    }
}
