package dev.ringway.core.translate;

import dev.ringway.core.route.BindAddress;

import java.util.Map;

/**
 * What the data plane reported about binding the previous snapshot's sockets: the addresses that
 * could not be bound, with the error. A listener is only reported {@code Programmed=True} when its
 * socket is bound; translation takes this as input so it stays a pure function.
 */
public record BindFeedback(Map<BindAddress, String> failures) {
    public BindFeedback {
        failures = Map.copyOf(failures);
    }

    public static final BindFeedback NONE = new BindFeedback(Map.of());
}
