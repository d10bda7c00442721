package dev.ringway.core.model;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector. {@link #matches} implements the apimachinery semantics: all
 * {@code matchLabels} and all {@code matchExpressions} must hold; an empty selector matches everything.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
    public LabelSelector {
        matchLabels = Lists.copy(matchLabels);
        matchExpressions = Lists.copy(matchExpressions);
    }

    public record Requirement(String key, String operator, List<String> values) {
        public Requirement {
            values = Lists.copy(values);
        }
    }

    /** Returns null when valid, else a message naming the problem (unknown operator, bad values). */
    public String validate() {
        for (Requirement r : matchExpressions) {
            switch (r.operator() == null ? "" : r.operator()) {
                case "In", "NotIn" -> {
                    if (r.values().isEmpty()) {
                        return "matchExpressions operator " + r.operator() + " requires values (key " + r.key() + ")";
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!r.values().isEmpty()) {
                        return "matchExpressions operator " + r.operator() + " must not have values (key " + r.key() + ")";
                    }
                }
                default -> {
                    return "unknown matchExpressions operator \"" + r.operator() + "\" (key " + r.key() + ")";
                }
            }
        }
        return null;
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            String v = labels.get(r.key());
            boolean ok = switch (r.operator() == null ? "" : r.operator()) {
                case "In" -> v != null && r.values().contains(v);
                case "NotIn" -> v == null || !r.values().contains(v);
                case "Exists" -> labels.containsKey(r.key());
                case "DoesNotExist" -> !labels.containsKey(r.key());
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
