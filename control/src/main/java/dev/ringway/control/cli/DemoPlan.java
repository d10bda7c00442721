package dev.ringway.control.cli;

import dev.ringway.core.model.EndpointSlice;
import dev.ringway.core.model.Gateway;
import dev.ringway.core.model.HttpRoute;
import dev.ringway.core.model.Listener;
import dev.ringway.core.model.ParentReference;
import dev.ringway.core.model.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ringway demo} starts and shows, computed from the manifests: one echo backend per
 * EndpointSlice endpoint (its address and port, named by the endpoint's targetRef, in the slice's
 * namespace, for the slice's Service), and one curl command per HTTPRoute rule match, with the
 * backends it should reach.
 */
public record DemoPlan(List<Backend> backends, List<Example> examples) {

    /** An echo server to start. */
    public record Backend(String ip, int port, String pod, String namespace, String service) {
    }

    /** A curl command and what it shows. */
    public record Example(String title, String command, String expect) {
    }

    public static DemoPlan from(List<Resource> resources, String gatewayIp) {
        Map<String, Backend> backends = new LinkedHashMap<>();
        Map<String, Gateway> gateways = new LinkedHashMap<>();
        List<HttpRoute> routes = new ArrayList<>();
        for (Resource r : resources) {
            switch (r) {
                case EndpointSlice s -> {
                    for (EndpointSlice.Endpoint e : s.endpoints()) {
                        for (String ip : e.addresses()) {
                            for (EndpointSlice.Port p : s.ports() == null ? List.<EndpointSlice.Port>of() : s.ports()) {
                                if (p.port() == null || !"TCP".equals(p.protocol())) {
                                    continue;
                                }
                                String pod = e.targetRef() != null && e.targetRef().name() != null ? e.targetRef().name()
                                        : (s.serviceName() == null ? s.name() : s.serviceName()) + "-demo-" + backends.size();
                                backends.putIfAbsent(ip + ":" + p.port(), new Backend(ip, p.port(), pod, s.namespace(),
                                        s.serviceName() == null ? "" : s.serviceName()));
                            }
                        }
                    }
                }
                case Gateway g -> gateways.put(g.namespace() + "/" + g.name(), g);
                case HttpRoute h -> routes.add(h);
                default -> {
                }
            }
        }
        List<Example> examples = new ArrayList<>();
        for (HttpRoute route : routes) {
            Listener listener = listenerFor(route, gateways);
            if (listener == null) {
                continue;
            }
            String host = hostFor(route, listener);
            List<HttpRoute.Rule> rules = route.spec().rules();
            for (int i = 0; i < rules.size(); i++) {
                HttpRoute.Rule rule = rules.get(i);
                List<HttpRoute.Match> matches = rule.matches().isEmpty()
                        ? List.of(new HttpRoute.Match(null, null, null, null)) : rule.matches();
                for (HttpRoute.Match m : matches) {
                    examples.add(example(route, i, rule, m, host, gatewayIp, listener.portOrZero()));
                }
            }
        }
        return new DemoPlan(List.copyOf(backends.values()), examples);
    }

    private static Listener listenerFor(HttpRoute route, Map<String, Gateway> gateways) {
        for (ParentReference p : route.spec().parentRefs()) {
            Gateway g = gateways.get(p.namespaceOr(route.namespace()) + "/" + p.name());
            if (g == null) {
                continue;
            }
            for (Listener l : g.spec().listeners()) {
                boolean http = "HTTP".equalsIgnoreCase(l.protocol());
                if (http && (p.sectionName() == null || p.sectionName().equals(l.name()))
                        && (p.port() == null || p.port() == l.portOrZero())) {
                    return l;
                }
            }
        }
        return null;
    }

    private static String hostFor(HttpRoute route, Listener listener) {
        String h = route.spec().hostnames().isEmpty() ? listener.hostname() : route.spec().hostnames().getFirst();
        if (h == null) {
            return null;
        }
        return h.startsWith("*.") ? "demo" + h.substring(1) : h;
    }

    private static Example example(HttpRoute route, int ruleIndex, HttpRoute.Rule rule, HttpRoute.Match m, String host,
                                   String ip, int port) {
        StringBuilder cond = new StringBuilder();
        List<String> args = new ArrayList<>();
        if (m.method() != null && !m.method().equals("GET")) {
            args.add("-X " + m.method());
        }
        if (m.method() != null) {
            cond.append(' ').append(m.method());
        }
        if (host != null) {
            args.add("-H " + quote("Host: " + host));
        }
        String path = switch (m.path().type()) {
            case "RegularExpression" -> sample(m.path().value(), "/");
            default -> m.path().value();
        };
        cond.append(' ').append(m.path().type()).append(' ').append(m.path().value());
        for (HttpRoute.HeaderMatch h : m.headers()) {
            String v = h.type().equals("RegularExpression") ? sample(h.value(), "<matching " + h.value() + ">") : h.value();
            args.add("-H " + quote(h.name() + ": " + v));
            cond.append(", header ").append(h.name()).append(h.type().equals("RegularExpression") ? " ~ " : " = ")
                    .append(h.value());
        }
        List<String> query = new ArrayList<>();
        for (HttpRoute.QueryParamMatch q : m.queryParams()) {
            String v = q.type().equals("RegularExpression") ? sample(q.value(), "x") : q.value();
            query.add(q.name() + "=" + v);
            cond.append(", query ").append(q.name()).append(q.type().equals("RegularExpression") ? " ~ " : " = ")
                    .append(q.value());
        }
        String url = "http://" + ip + ":" + port + path + (query.isEmpty() ? "" : "?" + String.join("&", query));
        List<String> expect = new ArrayList<>();
        int total = 0;
        for (HttpRoute.HttpBackendRef b : rule.backendRefs()) {
            total += b.weight() == null ? 1 : b.weight();
        }
        for (HttpRoute.HttpBackendRef b : rule.backendRefs()) {
            int w = b.weight() == null ? 1 : b.weight();
            expect.add(b.name() + (rule.backendRefs().size() > 1 && total > 0
                    ? String.format(Locale.ROOT, " %d%%", Math.round(100.0 * w / total)) : ""));
        }
        String curl = "curl -s " + String.join(" ", args) + (args.isEmpty() ? "" : " ") + quote(url);
        // the echo server answers /health itself (body OK); elsewhere its JSON names the pod
        String pod = path.equals("/health") ? "; echo" : " | grep -o '\"pod\" *: *\"[^\"]*\"'";
        String command = rule.backendRefs().size() > 1
                ? "for i in $(seq 50); do " + curl + pod + "; done | sort | uniq -c"
                : curl + pod;
        String title = route.namespace() + "/" + route.name() + " rule " + ruleIndex + ":" + cond;
        String expected = expect.isEmpty() ? "no backend" : String.join(", ", expect);
        return new Example(title, command, path.equals("/health") ? "OK from " + expected : expected);
    }

    private static final Pattern ALTERNATIVES = Pattern.compile("\\(\\??:?([^()|]+)(\\|[^()]*)?\\)");
    private static final Pattern META = Pattern.compile("[\\\\.*+?()\\[\\]{}|^$]");

    /** A string matching a simple regular expression ({@code ^(a|b)$}, a literal), or {@code fallback}. */
    static String sample(String regex, String fallback) {
        String s = regex;
        if (s.startsWith("^")) {
            s = s.substring(1);
        }
        if (s.endsWith("$")) {
            s = s.substring(0, s.length() - 1);
        }
        Matcher m = ALTERNATIVES.matcher(s);
        if (m.matches() && !META.matcher(m.group(1)).find()) {
            return m.group(1);
        }
        return META.matcher(s).find() ? fallback : s;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
