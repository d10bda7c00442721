package dev.ringway.conformance.run;

import dev.ringway.core.translate.Features;
import dev.ringway.conformance.model.ConformanceCase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The features Ringway claims. The list lives in one place, {@link Features#SUPPORTED} in core
 * (the GatewayClass status reports the same list as {@code supportedFeatures}), and only ever
 * grows. Decides whether a case runs or is skipped (and under which feature).
 */
public record ClaimedFeatures(Set<String> features) {

    public static ClaimedFeatures load() {
        return new ClaimedFeatures(Collections.unmodifiableSet(new LinkedHashSet<>(Features.SUPPORTED)));
    }
    public boolean claims(String feature) {
        return features.contains(feature);
    }

    /** Why the case does not run with this feature set, or null when it runs. */
    public String skipReason(ConformanceCase c) {
        List<String> missing = new ArrayList<>();
        for (String f : c.features()) {
            if (!claims(f)) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            return "feature not claimed: " + String.join(", ", missing);
        }
        for (String f : c.skipIfSupported()) {
            if (claims(f)) {
                return "not applicable: skipIfSupported " + f + " is claimed";
            }
        }
        for (String f : c.skipUnlessSupported()) {
            if (!claims(f)) {
                return "not applicable: skipUnlessSupported " + f + " is not claimed";
            }
        }
        return null;
    }
}
