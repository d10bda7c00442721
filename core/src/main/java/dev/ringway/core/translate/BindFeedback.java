package dev.ringway.core.translate;

import dev.ringway.core.route.BindAddress;

import java.util.Map;

/**
 * What the rest of the system tells a translation about the world it cannot see, so that
 * translation stays a pure function of its inputs:
 *
 * @param failures  addresses the data plane could not bind last time, with the error: a listener
 *                  is only {@code Programmed=True} when its socket is bound
 * @param addresses the address each Gateway was given by the previous translation
 *                  ({@code namespace/name -> ip}); pool assignments stay where they are while a
 *                  Gateway exists, so adding a Gateway never moves another one
 */
public record BindFeedback(Map<BindAddress, String> failures, Map<String, String> addresses) {
    public BindFeedback {
        failures = Map.copyOf(failures);
        addresses = Map.copyOf(addresses);
    }

    public static final BindFeedback NONE = new BindFeedback(Map.of(), Map.of());

    public BindFeedback withFailures(Map<BindAddress, String> f) {
        return new BindFeedback(f, addresses);
    }

    public BindFeedback withAddresses(Map<String, String> a) {
        return new BindFeedback(failures, a);
    }
}
