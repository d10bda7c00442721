package dev.ringway.core.parse;

/**
 * A problem found while reading manifests: where (source file or object, document index), which
 * object (kind, namespace, name as far as known), which field (a path like
 * {@code spec.listeners[0].port}) and what. Errors drop the object; warnings keep it.
 */
public record ParseProblem(Severity severity, String source, int document, String kind, String namespace,
                           String name, String field, String message) {

    public enum Severity { ERROR, WARNING }

    /** One line a person can act on: {@code file.yaml#2 HTTPRoute ns/name: spec.rules[0]: message}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(severity == Severity.ERROR ? "error: " : "warning: ");
        sb.append(source == null ? "<input>" : source);
        if (document > 0) {
            sb.append(" (document ").append(document).append(')');
        }
        if (kind != null) {
            sb.append(' ').append(kind);
            if (name != null) {
                sb.append(' ').append(namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
            }
        }
        sb.append(": ");
        if (field != null && !field.isEmpty()) {
            sb.append("field ").append(field).append(": ");
        }
        sb.append(message);
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
