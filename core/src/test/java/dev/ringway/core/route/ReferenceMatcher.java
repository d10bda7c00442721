package dev.ringway.core.route;

import java.util.ArrayList;
import java.util.List;

/**
 * The slow, obviously-correct matcher the routing tables are checked against: every match, sorted
 * once in full spec precedence order, scanned until one matches the path and the rest.
 */
public final class ReferenceMatcher {
    private final List<CompiledMatch> ordered;

    public ReferenceMatcher(List<CompiledMatch> matches) {
        ordered = new ArrayList<>(matches);
        ordered.sort(Precedence.FULL);
    }

    public CompiledMatch match(HttpRequestView req) {
        for (CompiledMatch m : ordered) {
            if (pathMatches(m, req.path()) && m.matchesRest(req)) {
                return m;
            }
        }
        return null;
    }

    /** PathPrefix per HTTPPathMatch godoc: element-wise, trailing slash of the prefix ignored. */
    static boolean pathMatches(CompiledMatch m, String path) {
        return switch (m.pathType()) {
            case EXACT -> m.path().equals(path);
            case REGEX -> m.pathRegex().matches(path);
            case PREFIX -> {
                String p = m.path();
                if (p.equals("/")) {
                    yield true;
                }
                yield path.startsWith(p) && (path.length() == p.length() || path.charAt(p.length()) == '/');
            }
        };
    }
}
