package dev.ringway.control.status;

import dev.ringway.core.parse.ParseProblem;
import dev.ringway.core.status.StatusReport;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the status store holds, immutable: the statuses of the last published translation with the
 * transition time of each condition (by {@link ConditionTimes#path}), and the configuration problems
 * found since (parse problems per file, duplicate-object warnings, snapshot validation errors).
 *
 * @param updatedAt when the statuses were last released (null before the first publish)
 */
public record StatusView(StatusReport report, Map<String, Instant> transitionTimes, List<ParseProblem> problems,
                         List<String> validationErrors, Instant updatedAt) {
    public StatusView {
        transitionTimes = Map.copyOf(transitionTimes);
        problems = List.copyOf(problems);
        validationErrors = List.copyOf(validationErrors);
    }

    public static final StatusView EMPTY = new StatusView(StatusReport.EMPTY, Map.of(), List.of(), List.of(), null);

    public long errorCount() {
        return problems.stream().filter(p -> p.severity() == ParseProblem.Severity.ERROR).count()
                + validationErrors.size();
    }
}
