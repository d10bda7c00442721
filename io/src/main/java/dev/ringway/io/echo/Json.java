package dev.ringway.io.echo;

import java.util.List;
import java.util.Map;

/**
 * Write-only JSON for the echo bodies. Values are {@link String}, {@link Boolean}, {@link Number}, {@link List},
 * {@link Map} with string keys (written in iteration order) and {@code null}. Strings are escaped as Go's
 * {@code encoding/json} does: quotes, backslashes, control characters, {@code <}, {@code >}, {@code &}, U+2028 and
 * U+2029; other non-ASCII characters are written as they are.
 */
final class Json {
    private final StringBuilder out = new StringBuilder(256);
    private final boolean indent;

    private Json(boolean indent) {
        this.indent = indent;
    }

    /** One line, like Go's {@code json.Marshal}. */
    static String compact(Object value) {
        Json json = new Json(false);
        json.value(value, 0);
        return json.out.toString();
    }

    /** Indented by one space per level, like Go's {@code json.MarshalIndent(v, "", " ")}. */
    static String indented(Object value) {
        Json json = new Json(true);
        json.value(value, 0);
        return json.out.toString();
    }

    private void value(Object value, int depth) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(s);
            case Boolean b -> out.append(b.booleanValue());
            case Number n -> out.append(n);
            case Map<?, ?> map -> object(map, depth);
            case List<?> list -> array(list, depth);
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private void object(Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            newline(depth + 1);
            string((String) e.getKey());
            out.append(indent ? ": " : ":");
            value(e.getValue(), depth + 1);
        }
        newline(depth);
        out.append('}');
    }

    private void array(List<?> list, int depth) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            newline(depth + 1);
            value(list.get(i), depth + 1);
        }
        newline(depth);
        out.append(']');
    }

    private void newline(int depth) {
        if (indent) {
            out.append('\n').repeat(' ', depth);
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(c);
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private void unicodeEscape(char c) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        out.repeat('0', 4 - hex.length()).append(hex);
    }
}
