package dev.ringway.conformance.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.model.ConformanceCase;
import dev.ringway.conformance.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The features Ringway claims: one place, the resource {@code dev/ringway/conformance/claimed-features.yaml}, only ever growing. Decides
 * whether a case runs or is skipped (and under which feature).
 */
public record ClaimedFeatures(Set<String> features) {
    public static final String RESOURCE = "/dev/ringway/conformance/claimed-features.yaml";

    public static ClaimedFeatures load() {
        try (InputStream in = ClaimedFeatures.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the classpath");
            }
            JsonNode root = Json.parseYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Set<String> f = new LinkedHashSet<>();
            root.path("features").forEach(n -> f.add(n.asText()));
            return new ClaimedFeatures(Collections.unmodifiableSet(f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
