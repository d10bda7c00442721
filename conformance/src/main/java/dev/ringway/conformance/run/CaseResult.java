package dev.ringway.conformance.run;

import dev.ringway.conformance.model.ConformanceCase;

/**
 * The result of one case: outcome, the first failing step (1-based index and key, or null) and what was seen
 * instead, or why it was skipped / not run; duration in milliseconds; the shard that ran it (-1 = none).
 */
public record CaseResult(ConformanceCase testCase, Outcome outcome, Integer failedStep, String failedStepKey,
                         String message, long durationMillis, int shard) {

    public String name() {
        return testCase.name();
    }

    public String firstFailingStep() {
        if (failedStep == null) {
            return failedStepKey == null ? "" : failedStepKey;
        }
        return "step " + failedStep + " (" + failedStepKey + ")";
    }

    public static CaseResult skipped(ConformanceCase c, Outcome o, String why) {
        return new CaseResult(c, o, null, null, why, 0, -1);
    }
}
