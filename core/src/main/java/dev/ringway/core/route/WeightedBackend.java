package dev.ringway.core.route;

import java.util.List;

/** A backend with its weight and the filters of its backendRef (applied only when it is chosen). */
public record WeightedBackend(Backend backend, int weight, List<HttpFilter> filters) {
    public WeightedBackend {
        filters = List.copyOf(filters);
    }
}
