package dev.ringway.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Kubernetes IntOrString (a Service's targetPort: a number or a container port name). */
public record IntOrString(Integer intValue, String strValue) {

    @JsonCreator
    public static IntOrString of(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return new IntOrString(n.intValue(), null);
        }
        String s = v.toString();
        try {
            return new IntOrString(Integer.parseInt(s), null);
        } catch (NumberFormatException e) {
            return new IntOrString(null, s);
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isInt() {
        return intValue != null;
    }

    @JsonValue
    public Object value() {
        return intValue != null ? intValue : strValue;
    }
}
