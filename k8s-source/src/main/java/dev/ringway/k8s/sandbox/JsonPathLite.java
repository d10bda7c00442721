package dev.ringway.k8s.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of Kubernetes JSONPath that printer columns use: {@code .a.b}, {@code [*]}, {@code [n]} and
 * {@code [?(@.field=="value")]}. Enough for the Gateway API CRDs' columns; anything else yields nothing.
 */
final class JsonPathLite {
    private JsonPathLite() {
    }

    /** The nodes {@code path} selects in {@code root}. */
    static List<JsonNode> select(JsonNode root, String path) {
        List<JsonNode> current = new ArrayList<>(List.of(root));
        int i = 0;
        String p = path.trim();
        if (p.startsWith("{") && p.endsWith("}")) {
            p = p.substring(1, p.length() - 1);
        }
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                    end++;
                }
                String field = p.substring(i + 1, end);
                List<JsonNode> next = new ArrayList<>();
                for (JsonNode n : current) {
                    JsonNode v = n.get(field);
                    if (v != null && !v.isNull()) {
                        next.add(v);
                    }
                }
                current = next;
                i = end;
            } else if (c == '[') {
                int end = p.indexOf(']', i);
                if (end < 0) {
                    return List.of();
                }
                String sel = p.substring(i + 1, end);
                List<JsonNode> next = new ArrayList<>();
                for (JsonNode n : current) {
                    if (!n.isArray()) {
                        continue;
                    }
                    if (sel.equals("*")) {
                        n.forEach(next::add);
                    } else if (sel.startsWith("?(@.") && sel.endsWith(")")) {
                        String cond = sel.substring(4, sel.length() - 1);
                        int eq = cond.indexOf("==");
                        if (eq < 0) {
                            return List.of();
                        }
                        String field = cond.substring(0, eq).trim();
                        String value = cond.substring(eq + 2).trim();
                        if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
                            value = value.substring(1, value.length() - 1);
                        }
                        for (JsonNode e : n) {
                            JsonNode f = e.get(field);
                            if (f != null && value.equals(f.asText())) {
                                next.add(e);
                            }
                        }
                    } else {
                        try {
                            JsonNode e = n.get(Integer.parseInt(sel.trim()));
                            if (e != null) {
                                next.add(e);
                            }
                        } catch (NumberFormatException ex) {
                            return List.of();
                        }
                    }
                }
                current = next;
                i = end + 1;
            } else {
                return List.of();
            }
        }
        return current;
    }

    /** The text a printer column shows: scalars as text, arrays and objects as JSON, several results joined by commas. */
    static String text(JsonNode root, String path) {
        List<String> parts = new ArrayList<>();
        for (JsonNode n : select(root, path)) {
            parts.add(n.isValueNode() ? n.asText() : n.toString());
        }
        return String.join(",", parts);
    }
}
