package dev.ringway.conformance.model;

/** A condition expectation {type, status?, reason?} (SCHEMA 3, 8.2). */
public record Cond(String type, String status, String reason) {
    @Override
    public String toString() {
        return type + (status == null ? "" : "=" + status) + (reason == null ? "" : "/" + reason);
    }
}
