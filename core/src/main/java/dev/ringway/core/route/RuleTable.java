package dev.ringway.core.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled rules of one virtual host (the routes of one listener that share an effective
 * hostname). Lookup cost does not grow with the number of rules: exact paths are a hash lookup,
 * prefixes a walk down a segment trie (one step per path segment, no allocation), and only the
 * candidates sharing a path condition are checked for method, headers and query parameters, in
 * {@link Precedence} order. Regular-expression paths are tried after exact paths and before prefixes.
 *
 * <p>PathPrefix is "split by /, element by element; a trailing / is ignored" (HTTPPathMatch godoc):
 * {@code /v2} matches {@code /v2} and {@code /v2/x} but not {@code /v2example}.
 */
public final class RuleTable {
    private final Map<String, CompiledMatch[]> exact;
    private final CompiledMatch[] regex;
    private final Node root;
    private final int size;

    private RuleTable(Map<String, CompiledMatch[]> exact, CompiledMatch[] regex, Node root, int size) {
        this.exact = exact;
        this.regex = regex;
        this.root = root;
        this.size = size;
    }

    /** Builds a table; the order of {@code matches} does not matter. */
    public static RuleTable build(List<CompiledMatch> matches) {
        Map<String, List<CompiledMatch>> exact = new HashMap<>();
        List<CompiledMatch> regex = new ArrayList<>();
        NodeBuilder root = new NodeBuilder();
        for (CompiledMatch m : matches) {
            switch (m.pathType()) {
                case EXACT -> exact.computeIfAbsent(m.path(), k -> new ArrayList<>()).add(m);
                case REGEX -> regex.add(m);
                case PREFIX -> root.descend(m.path()).matches.add(m);
            }
        }
        Map<String, CompiledMatch[]> ex = new HashMap<>(exact.size() * 2);
        exact.forEach((k, v) -> ex.put(k, sorted(v)));
        return new RuleTable(Map.copyOf(ex), sorted(regex), root.build(), matches.size());
    }

    private static CompiledMatch[] sorted(List<CompiledMatch> l) {
        CompiledMatch[] a = l.toArray(CompiledMatch[]::new);
        java.util.Arrays.sort(a, Precedence.SAME_PATH);
        return a;
    }

    public int size() {
        return size;
    }

    /** The highest-precedence match for this request, or null (the data plane answers 404). */
    public CompiledMatch match(HttpRequestView req) {
        String path = req.path();
        CompiledMatch[] c = exact.get(path);
        if (c != null) {
            CompiledMatch m = first(c, req);
            if (m != null) {
                return m;
            }
        }
        for (CompiledMatch r : regex) {
            if (r.pathRegex().matches(path) && r.matchesRest(req)) {
                return r;
            }
        }
        if (path.isEmpty() || path.charAt(0) != '/') {
            return root.matches.length == 0 ? null : first(root.matches, req);
        }
        return root.match(path, 1, req);
    }

    private static CompiledMatch first(CompiledMatch[] candidates, HttpRequestView req) {
        for (CompiledMatch m : candidates) {
            if (m.matchesRest(req)) {
                return m;
            }
        }
        return null;
    }

    /** Every match in the table, best first within each path place (for dumps and tests). */
    public List<CompiledMatch> all() {
        List<CompiledMatch> out = new ArrayList<>();
        exact.values().forEach(a -> out.addAll(List.of(a)));
        out.addAll(List.of(regex));
        root.collect(out);
        out.sort(Precedence.FULL);
        return out;
    }

    /**
     * A trie node: the prefix made of the segments from the root. Children are kept in a small
     * open-addressing table keyed by segment text so lookup hashes a region of the path in place.
     */
    private static final class Node {
        final CompiledMatch[] matches;
        final String[] keys;
        final Node[] children;
        final int mask;

        Node(CompiledMatch[] matches, String[] keys, Node[] children) {
            this.matches = matches;
            this.keys = keys;
            this.children = children;
            this.mask = keys.length - 1;
        }

        /** Deepest matching prefix first: recurse into the child for the next segment, then this node. */
        CompiledMatch match(String path, int from, HttpRequestView req) {
            if (keys.length > 0 && from <= path.length()) {
                int end = path.indexOf('/', from);
                if (end < 0) {
                    end = path.length();
                }
                Node child = child(path, from, end);
                if (child != null) {
                    CompiledMatch m = child.match(path, end + 1, req);
                    if (m != null) {
                        return m;
                    }
                }
            }
            return matches.length == 0 ? null : first(matches, req);
        }

        private Node child(String path, int from, int to) {
            int len = to - from;
            int h = 0;
            for (int i = from; i < to; i++) {
                h = 31 * h + path.charAt(i);
            }
            int i = spread(h) & mask;
            while (true) {
                String k = keys[i];
                if (k == null) {
                    return null;
                }
                if (k.length() == len && path.regionMatches(from, k, 0, len)) {
                    return children[i];
                }
                i = (i + 1) & mask;
            }
        }

        void collect(List<CompiledMatch> out) {
            out.addAll(List.of(matches));
            for (Node c : children) {
                if (c != null) {
                    c.collect(out);
                }
            }
        }
    }

    static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private static final class NodeBuilder {
        final List<CompiledMatch> matches = new ArrayList<>();
        final Map<String, NodeBuilder> children = new HashMap<>();

        /** The node for a normalised prefix such as {@code /a/b} ({@code /} is the root). */
        NodeBuilder descend(String prefix) {
            NodeBuilder n = this;
            if (prefix.equals("/")) {
                return n;
            }
            for (String seg : prefix.substring(1).split("/", -1)) {
                n = n.children.computeIfAbsent(seg, k -> new NodeBuilder());
            }
            return n;
        }

        Node build() {
            int cap = 0;
            if (!children.isEmpty()) {
                cap = Integer.highestOneBit(children.size() * 2 - 1) << 1;
                cap = Math.max(cap, 2);
            }
            String[] keys = new String[cap];
            Node[] nodes = new Node[cap];
            for (Map.Entry<String, NodeBuilder> e : children.entrySet()) {
                String k = e.getKey();
                int i = spread(k.hashCode()) & (cap - 1);
                while (keys[i] != null) {
                    i = (i + 1) & (cap - 1);
                }
                keys[i] = k;
                nodes[i] = e.getValue().build();
            }
            return new Node(sorted(matches), keys, nodes);
        }
    }
}
