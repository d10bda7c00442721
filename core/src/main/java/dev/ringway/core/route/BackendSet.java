package dev.ringway.core.route;

import java.util.List;

/**
 * The weighted backends of a rule. {@link #pick} chooses proportionally to weight; weight 0 gets no
 * traffic. A set whose weights are all 0 (or that has no backends) picks nothing: the data plane
 * answers 500, as HTTPRouteRule.backendRefs requires when no valid backend can be chosen.
 */
public final class BackendSet {
    private final WeightedBackend[] backends;
    private final int[] cumulative;
    private final int total;

    public BackendSet(List<WeightedBackend> backends) {
        this.backends = backends.toArray(WeightedBackend[]::new);
        this.cumulative = new int[this.backends.length];
        int sum = 0;
        for (int i = 0; i < this.backends.length; i++) {
            sum += Math.max(0, this.backends[i].weight());
            cumulative[i] = sum;
        }
        this.total = sum;
    }

    public static final BackendSet EMPTY = new BackendSet(List.of());

    public List<WeightedBackend> backends() {
        return List.of(backends);
    }

    public int totalWeight() {
        return total;
    }

    public boolean isEmpty() {
        return backends.length == 0;
    }

    /** The backend for this request, or null when no backend can be chosen (answer 500). */
    public WeightedBackend pick(BalancerState state) {
        if (total == 0) {
            return null;
        }
        if (backends.length == 1) {
            return backends[0];
        }
        int r = state.random(total);
        for (int i = 0; i < cumulative.length; i++) {
            if (r < cumulative[i]) {
                return backends[i];
            }
        }
        return backends[backends.length - 1];
    }
}
