package dev.ringway.core.model;

/** {@code requestMirror}: the mirror backend and the share of requests (percent or fraction). */
public record RequestMirror(BackendRef backendRef, Integer percent, Fraction fraction) {
    public record Fraction(Integer numerator, Integer denominator) {
        public Fraction {
            denominator = denominator == null ? 100 : denominator;
        }
    }
}
