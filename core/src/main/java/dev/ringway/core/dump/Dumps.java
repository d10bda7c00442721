package dev.ringway.core.dump;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.core.model.Kinds;
import dev.ringway.core.model.ResourceKey;
import dev.ringway.core.route.Backend;
import dev.ringway.core.route.CertificateBundle;
import dev.ringway.core.route.CompiledMatch;
import dev.ringway.core.route.Endpoint;
import dev.ringway.core.route.HeaderOps;
import dev.ringway.core.route.HttpFilter;
import dev.ringway.core.route.HttpRule;
import dev.ringway.core.route.L4Route;
import dev.ringway.core.route.ListenerRoutes;
import dev.ringway.core.route.PortBinding;
import dev.ringway.core.route.RuleTable;
import dev.ringway.core.route.Snapshot;
import dev.ringway.core.route.TlsListener;
import dev.ringway.core.route.WeightedBackend;
import dev.ringway.core.status.Condition;
import dev.ringway.core.status.ObjectStatus;
import dev.ringway.core.status.StatusReport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Deterministic JSON trees of statuses and snapshots: the admin API's {@code /status} and
 * {@code /config_dump}, the golden files and {@code ringway validate} all use these.
 */
public final class Dumps {
    private Dumps() {
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * One {@code /status} list item: apiVersion, kind, metadata (namespace, name, generation) and the
     * status as the API server would store it. {@code transitionTime} supplies
     * {@code lastTransitionTime} for a condition (null: omitted, as in golden files).
     */
    public static ObjectNode statusItem(ResourceKey key, StatusReport.Entry e, Function<Condition, String> transitionTime) {
        ObjectNode item = F.objectNode();
        item.put("apiVersion", e.apiVersion());
        item.put("kind", key.kind());
        ObjectNode meta = item.putObject("metadata");
        if (!Kinds.isClusterScoped(key.kind())) {
            meta.put("namespace", key.namespace());
        }
        meta.put("name", key.name());
        meta.put("generation", e.generation());
        item.set("status", status(e.status(), transitionTime));
        return item;
    }

    /** The {@code status} object for one object's status. */
    public static ObjectNode status(ObjectStatus s, Function<Condition, String> transitionTime) {
        ObjectNode tree = MAPPER.valueToTree(s);
        stampConditions(tree, transitionTime);
        return tree;
    }

    /** Renames to API field names and adds {@code lastTransitionTime} to every condition in the tree. */
    private static void stampConditions(JsonNode node, Function<Condition, String> transitionTime) {
        if (node instanceof ObjectNode o) {
            JsonNode conds = o.get("conditions");
            if (conds instanceof ArrayNode arr) {
                for (JsonNode c : arr) {
                    ObjectNode co = (ObjectNode) c;
                    if (transitionTime != null) {
                        Condition cond = new Condition(co.path("type").asText(), co.path("status").asText(),
                                co.path("reason").asText(), co.path("message").asText(), co.path("observedGeneration").asLong());
                        String t = transitionTime.apply(cond);
                        if (t != null) {
                            co.put("lastTransitionTime", t);
                        }
                    }
                }
            }
            o.fields().forEachRemaining(f -> stampConditions(f.getValue(), transitionTime));
        } else if (node instanceof ArrayNode a) {
            a.forEach(n -> stampConditions(n, transitionTime));
        }
    }

    /** The whole status report as a Kubernetes {@code List}. */
    public static ObjectNode statusList(StatusReport report, Function<ResourceKey, Function<Condition, String>> times) {
        ObjectNode list = F.objectNode();
        list.put("kind", "List");
        list.put("apiVersion", "v1");
        ArrayNode items = list.putArray("items");
        report.entries().forEach((k, e) -> items.add(statusItem(k, e, times == null ? null : times.apply(k))));
        return list;
    }

    // ---- snapshot ----

    /** A readable, deterministic tree of a snapshot; private keys are never included. */
    public static ObjectNode snapshot(Snapshot s) {
        ObjectNode root = F.objectNode();
        root.put("version", s.version());
        ArrayNode bindings = root.putArray("bindings");
        for (PortBinding b : s.bindings()) {
            ObjectNode bn = bindings.addObject();
            bn.put("address", b.address().toString());
            bn.put("kind", b.kind().name());
            ArrayNode ls = bn.putArray("listeners");
            b.listeners().forEach(l -> ls.add(l.label()));
            if (b.tls() != null) {
                ObjectNode sni = bn.putObject("sni");
                Map<String, TlsListener> sorted = new TreeMap<>();
                b.tls().forEach((h, t) -> sorted.put(h == null ? "*" : h, t));
                sorted.forEach((h, t) -> sni.set(h, tls(t)));
            }
            if (b.http() != null) {
                ArrayNode hl = bn.putArray("http");
                for (ListenerRoutes lr : b.http().listeners()) {
                    ObjectNode ln = hl.addObject();
                    ln.put("listener", lr.listener().label());
                    ln.put("hostname", lr.hostname() == null ? "*" : lr.hostname());
                    if (lr.backendClientCertificate() != null) {
                        ln.put("backendClientCertificate", lr.backendClientCertificate().source());
                    }
                    ObjectNode vh = ln.putObject("vhosts");
                    Map<String, RuleTable> sorted = new TreeMap<>();
                    lr.vhosts().forEach((h, t) -> sorted.put(h == null ? "*" : h, t));
                    sorted.forEach((h, t) -> {
                        ArrayNode rules = vh.putArray(h);
                        for (CompiledMatch m : t.all()) {
                            rules.add(m.describe() + " => " + action(m.rule()));
                        }
                    });
                }
            }
            if (b.l4() != null) {
                bn.put("route", l4(b.l4()));
            }
        }
        ArrayNode backends = root.putArray("backends");
        for (Backend be : s.backends()) {
            ObjectNode bn = backends.addObject();
            bn.put("id", be.id());
            bn.put("name", be.name());
            if (be.invalid() != null) {
                bn.put("invalid", be.invalid());
            } else {
                bn.put("protocol", be.protocol().name());
                if (be.tls() != null) {
                    bn.put("tls", be.tls().toString());
                }
                ArrayNode eps = bn.putArray("endpoints");
                for (Endpoint ep : be.endpoints()) {
                    eps.add(ep + (ep.podName() == null ? "" : " (" + ep.podName() + ")"));
                }
            }
        }
        return root;
    }

    private static ObjectNode tls(TlsListener t) {
        ObjectNode n = F.objectNode();
        n.put("listener", t.listener().label());
        n.put("mode", t.terminate() ? "Terminate" : "Passthrough");
        n.put("http", t.http());
        if (t.clientValidation() != null) {
            n.put("clientValidation", t.clientValidation().allowInsecureFallback() ? "AllowInsecureFallback" : "AllowValidOnly");
        }
        ArrayNode certs = n.putArray("certificates");
        for (CertificateBundle c : t.certificates()) {
            certs.add(c.source() + " " + c.dnsNames());
        }
        if (t.passthrough() != null && !t.passthrough().isEmpty()) {
            ObjectNode p = n.putObject("routes");
            Map<String, L4Route> sorted = new TreeMap<>();
            t.passthrough().forEach((h, r) -> sorted.put(h == null ? "*" : h, r));
            sorted.forEach((h, r) -> p.put(h, l4(r)));
        }
        return n;
    }

    private static String l4(L4Route r) {
        return r.route().nsName() + " => " + backends(r.backends().backends());
    }

    /** One line: filters then weighted backends. */
    public static String action(HttpRule r) {
        List<String> parts = new ArrayList<>();
        for (HttpFilter f : r.filters()) {
            parts.add(filter(f));
        }
        if (r.requestTimeout() != null) {
            parts.add("timeout " + r.requestTimeout());
        }
        if (r.backendRequestTimeout() != null) {
            parts.add("backendTimeout " + r.backendRequestTimeout());
        }
        if (r.retry() != null) {
            parts.add("retry " + r.retry().attempts() + "x codes=" + r.retry().codes() + " backoff=" + r.retry().backoff());
        }
        if (!r.backends().isEmpty() || r.filters().stream().noneMatch(f -> f instanceof HttpFilter.Redirect)) {
            parts.add(backends(r.backends().backends()));
        }
        return String.join(" | ", parts);
    }

    private static String backends(List<WeightedBackend> wbs) {
        if (wbs.isEmpty()) {
            return "no backends (500)";
        }
        List<String> out = new ArrayList<>();
        for (WeightedBackend wb : wbs) {
            Backend b = wb.backend();
            String s = b.name() + " w=" + wb.weight();
            if (b.isInvalid()) {
                s += " INVALID(500)";
            } else if (b.endpoints().isEmpty()) {
                s += " no-endpoints(503)";
            } else {
                s += " eps=" + b.endpoints().size();
            }
            if (!wb.filters().isEmpty()) {
                s += " filters[" + String.join(", ", wb.filters().stream().map(Dumps::filter).toList()) + "]";
            }
            out.add(s);
        }
        return "backends[" + String.join(", ", out) + "]";
    }

    private static String filter(HttpFilter f) {
        return switch (f) {
            case HttpFilter.RequestHeaders h -> "requestHeaders" + ops(h.ops());
            case HttpFilter.ResponseHeaders h -> "responseHeaders" + ops(h.ops());
            case HttpFilter.Redirect r -> "redirect " + r.statusCode() + " scheme=" + r.scheme() + " host=" + r.hostname()
                    + " port=" + r.port() + (r.pathType() == null ? "" : " " + r.pathType() + "=" + r.path());
            case HttpFilter.Rewrite r -> "rewrite host=" + r.hostname() + (r.pathType() == null ? "" : " " + r.pathType() + "=" + r.path());
            case HttpFilter.Mirror m -> "mirror " + m.backend().name() + " " + m.numerator() + "/" + m.denominator();
            case HttpFilter.Cors c -> "cors origins=" + c.allowOrigins();
            case HttpFilter.Unsupported u -> "unsupported(" + u.status() + ") " + u.reason();
        };
    }

    private static String ops(HeaderOps o) {
        StringBuilder sb = new StringBuilder("{");
        o.set().forEach(h -> sb.append(" set ").append(h.name()).append('=').append(h.value()));
        o.add().forEach(h -> sb.append(" add ").append(h.name()).append('=').append(h.value()));
        o.removeLower().forEach(h -> sb.append(" remove ").append(h));
        return sb.append(" }").toString();
    }

    static Comparator<String> nullsFirst() {
        return Comparator.nullsFirst(Comparator.naturalOrder());
    }
}
