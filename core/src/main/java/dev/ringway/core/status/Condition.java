package dev.ringway.core.status;

/**
 * A status condition as the Gateway API writes it. {@code lastTransitionTime} is not part of the
 * translation (which is deterministic); the status store stamps it, keeping the previous time when
 * type, status and reason did not change.
 */
public record Condition(String type, String status, String reason, String message, long observedGeneration) {

    public static Condition isTrue(String type, String reason, String message, long gen) {
        return new Condition(type, "True", reason, message, gen);
    }

    public static Condition isFalse(String type, String reason, String message, long gen) {
        return new Condition(type, "False", reason, message, gen);
    }

    public static Condition unknown(String type, String reason, String message, long gen) {
        return new Condition(type, "Unknown", reason, message, gen);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isTrue() {
        return "True".equals(status);
    }
}
