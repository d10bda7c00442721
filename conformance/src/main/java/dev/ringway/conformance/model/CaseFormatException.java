package dev.ringway.conformance.model;

/** A case file that does not follow SCHEMA.md; the message names the file and the offending key. */
public final class CaseFormatException extends RuntimeException {
    public CaseFormatException(String message) {
        super(message);
    }
}
