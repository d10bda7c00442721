package dev.ringway.conformance.run;

/** Result of one case. */
public enum Outcome {
    /** Every step held. */
    PASSED,
    /** A step did not hold (or the case could not be executed). */
    FAILED,
    /** A feature it needs is not claimed, or skipIfSupported / skipUnlessSupported made it not applicable. */
    SKIPPED,
    /** It needs an echo kind that is not built yet. */
    NOT_RUN,
    /** Every executable step held, but the case contains a {@code note} (a manual check). */
    MANUAL;

    public String label() {
        return switch (this) {
            case PASSED -> "passed";
            case FAILED -> "failed";
            case SKIPPED -> "skipped";
            case NOT_RUN -> "not run";
            case MANUAL -> "manual";
        };
    }
}
