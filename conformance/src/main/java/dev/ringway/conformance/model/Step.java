package dev.ringway.conformance.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The steps of SCHEMA section 2. */
public sealed interface Step {

    /** The step's key, as in the case file. */
    String key();

    record Status(List<StatusEntry> entries) implements Step {
        public String key() { return "status"; }
    }

    record Requests(String gateway, int port, Protocol protocol, List<RequestCase> cases) implements Step {
        public String key() { return "requests"; }
    }

    record RequestCase(Request request, Expect expect, boolean eventually, int repeat, Duration within) {}

    record Weights(String gateway, int port, Protocol protocol, Request request, Expect expect, Jitter jitter,
                   int samples, int concurrency, int attempts, Map<String, Double> expected, double tolerance)
            implements Step {
        public String key() { return "weights"; }
    }

    record Jitter(String name, double probability, long min, long max) {}

    record MirrorPercentage(String gateway, int port, Protocol protocol, Request request, Expect expect,
                            String mirrorBackend, String mirrorNamespace, double percent, int samples,
                            int concurrency, int attempts, int minCount, int maxCount) implements Step {
        public String key() { return "mirrorPercentage"; }
    }

    record NamespacesReady(List<String> namespaces) implements Step {
        public String key() { return "namespacesReady"; }
    }

    record Apply(String manifest) implements Step {
        public String key() { return "apply"; }
    }

    record Create(JsonNode object) implements Step {
        public String key() { return "create"; }
    }

    record Patch(String kind, String namespace, String name, JsonNode mergePatch) implements Step {
        public String key() { return "patch"; }
    }

    record Delete(String kind, String namespace, String name) implements Step {
        public String key() { return "delete"; }
    }

    record Endpoints(List<EndpointsItem> items) implements Step {
        public String key() { return "endpoints"; }
    }

    record EndpointsItem(String namespace, List<String> endpointSlices, String target) {}

    record Sleep(Duration duration) implements Step {
        public String key() { return "sleep"; }
    }

    record Note(String text) implements Step {
        public String key() { return "note"; }
    }
}
