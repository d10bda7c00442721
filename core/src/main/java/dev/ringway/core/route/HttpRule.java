package dev.ringway.core.route;

import java.time.Duration;
import java.util.List;

/**
 * What to do with a request that matched a rule: filters in order, then the weighted backends.
 *
 * @param route         the HTTPRoute (or GRPCRoute) this rule belongs to
 * @param ruleIndex     index in {@code spec.rules}
 * @param ruleName      {@code rules[].name} or null
 * @param filters       rule-level filters in the order written
 * @param backends      weighted backends (empty with a redirect filter)
 * @param requestTimeout        {@code timeouts.request}, or null
 * @param backendRequestTimeout {@code timeouts.backendRequest}, or null
 * @param retry         {@code retry}, or null
 * @param metricsLabel  bounded label for metrics: {@code namespace/name/rule}
 */
public record HttpRule(RouteRef route, int ruleIndex, String ruleName, List<HttpFilter> filters, BackendSet backends,
                       Duration requestTimeout, Duration backendRequestTimeout, Retry retry, String metricsLabel) {
    public HttpRule {
        filters = List.copyOf(filters);
    }

    /** {@code retry}: codes, attempts, backoff. */
    public record Retry(List<Integer> codes, int attempts, Duration backoff) {
        public Retry {
            codes = List.copyOf(codes);
        }
    }
}
