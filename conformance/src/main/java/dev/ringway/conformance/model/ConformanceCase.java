package dev.ringway.conformance.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * One case file (SCHEMA section 1). {@link #raw} keeps the parsed document so that the run-time placeholders of
 * 7.3/7.4 can be substituted and the steps re-read ({@link CaseParser#resolve}).
 */
public record ConformanceCase(
        Path file,
        String name,
        String description,
        List<String> profiles,
        List<String> features,
        String level,
        boolean provisional,
        List<String> manifests,
        List<String> skipIfSupported,
        List<String> skipUnlessSupported,
        List<String> inputs,
        List<String> remarks,
        List<Step> steps,
        JsonNode raw) {

    public boolean core() {
        return level.equals("core");
    }

    public boolean hasNote() {
        return steps.stream().anyMatch(s -> s instanceof Step.Note);
    }
}
