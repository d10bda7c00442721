package dev.ringway.k8s.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side printing as the API server does it for {@code kubectl get}: a {@code meta.k8s.io/v1 Table}
 * with a Name column, the kind's printer columns (the Gateway API CRDs' columns; Age for other kinds)
 * and each row's object.
 */
final class Tables {
    private Tables() {
    }

    static ObjectNode table(ObjectMapper m, JsonNode body, String kind, Instant now) {
        List<GatewayApiCrds.Column> columns = new ArrayList<>();
        columns.add(new GatewayApiCrds.Column("Name", "string", ".metadata.name", 0));
        columns.addAll(GatewayApiCrds.COLUMNS.getOrDefault(kind == null ? "" : kind,
                List.of(new GatewayApiCrds.Column("Age", "date", ".metadata.creationTimestamp", 0))));
        ObjectNode t = m.createObjectNode();
        t.put("kind", "Table");
        t.put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = t.putObject("metadata");
        JsonNode rv = body.path("metadata").path("resourceVersion");
        if (rv.isTextual()) {
            meta.put("resourceVersion", rv.asText());
        }
        ArrayNode defs = t.putArray("columnDefinitions");
        for (GatewayApiCrds.Column c : columns) {
            ObjectNode d = defs.addObject();
            d.put("name", c.name());
            d.put("type", c.type());
            d.put("format", c.name().equals("Name") ? "name" : "");
            d.put("description", c.name().equals("Name") ? "Name must be unique within a namespace." : c.jsonPath());
            d.put("priority", c.priority());
        }
        ArrayNode rows = t.putArray("rows");
        List<JsonNode> items = new ArrayList<>();
        if (body.has("items")) {
            body.path("items").forEach(items::add);
        } else {
            items.add(body);
        }
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (GatewayApiCrds.Column c : columns) {
                String text = JsonPathLite.text(item, c.jsonPath());
                if (c.type().equals("date")) {
                    cells.add(age(text, now));
                } else if (text.isEmpty()) {
                    cells.addNull();
                } else {
                    cells.add(text);
                }
            }
            row.set("object", item);
        }
        return t;
    }

    static String age(String timestamp, Instant now) {
        if (timestamp == null || timestamp.isEmpty()) {
            return "<unknown>";
        }
        try {
            return humanDuration(Duration.between(Instant.parse(timestamp), now));
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    /** Kubernetes' {@code duration.HumanDuration}. */
    static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        }
        if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        }
        if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
