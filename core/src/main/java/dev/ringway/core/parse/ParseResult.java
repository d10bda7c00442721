package dev.ringway.core.parse;

import java.util.List;

/**
 * What one parse produced: the objects read, the problems found (per object; one bad object never
 * aborts the rest), and the kinds skipped because Ringway does not read them (e.g. Deployment).
 */
public record ParseResult(List<ParsedObject> objects, List<ParseProblem> problems, List<String> skipped) {
    public ParseResult {
        objects = List.copyOf(objects);
        problems = List.copyOf(problems);
        skipped = List.copyOf(skipped);
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(p -> p.severity() == ParseProblem.Severity.ERROR);
    }
}
