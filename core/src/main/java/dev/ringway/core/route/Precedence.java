package dev.ringway.core.route;

import java.util.Comparator;

/**
 * HTTPRoute match precedence, as HTTPRouteRule.matches godoc orders it: "Across all rules specified
 * on applicable Routes, precedence must be given to the match having: 'Exact' path match; 'Prefix'
 * path match with largest number of characters; Method match; Largest number of header matches;
 * Largest number of query param matches. ... If ties still exist across multiple Routes, matching
 * precedence MUST be determined in order of the following criteria, continuing on ties: The oldest
 * Route based on creation timestamp; The Route appearing first in alphabetical order by
 * '{namespace}/{name}'. If ties still exist within an HTTPRoute, matching precedence MUST be granted
 * to the FIRST matching rule (in list order) with a match meeting the above criteria."
 *
 * <p>"The precedence of RegularExpression path matches are implementation-specific": Ringway
 * places them after every Exact match and before every PathPrefix match (as Envoy Gateway does),
 * ordered among themselves by the same method/header/query/age/name/order criteria.
 *
 * <p>Path kind and prefix length are handled by where {@link RuleTable} puts a match (exact map,
 * regex list, prefix trie depth); this comparator orders the candidates that share a place.
 */
public final class Precedence {
    private Precedence() {
    }

    /**
     * GRPCRouteRule.matches godoc: "Precedence MUST be given to the rule with the largest number of:
     * Characters in a matching non-wildcard hostname. Characters in a matching hostname. Characters
     * in a matching service. Characters in a matching method. Header matches." Hostnames are chosen
     * before the rule table (as for HTTPRoute); a GRPCRoute match that names an exact service, a
     * method or neither is a regular expression on {@code /service/method} (both: an exact path), so
     * such candidates share the regex list, where this key orders them before the header count.
     * Always 0 for HTTPRoute matches, which it therefore leaves in the HTTPRoute order.
     */
    public static final Comparator<CompiledMatch> GRPC_CHARACTERS =
            Comparator.comparingInt(CompiledMatch::grpcSpecificity).reversed();

    /** Orders matches sharing the same path condition, best first. */
    public static final Comparator<CompiledMatch> SAME_PATH = GRPC_CHARACTERS
            .thenComparing((CompiledMatch m) -> m.method() == null)              // method match first
            .thenComparing(CompiledMatch::headerCount, Comparator.reverseOrder()) // most headers
            .thenComparing(CompiledMatch::queryCount, Comparator.reverseOrder())  // most query params
            .thenComparing(CompiledMatch::routeCreated)                           // oldest route
            .thenComparing(CompiledMatch::routeKey)                               // namespace/name
            .thenComparingInt((CompiledMatch m) -> m.rule().ruleIndex())          // first rule
            .thenComparingInt(CompiledMatch::matchIndex);                         // first match

    /** Full order used by the reference matcher and dumps: path kind and prefix length first. */
    public static final Comparator<CompiledMatch> FULL = Comparator
            .comparingInt((CompiledMatch m) -> m.pathType().ordinal())            // Exact, Regex, Prefix
            .thenComparing((CompiledMatch m) -> m.pathType() == CompiledMatch.PathType.PREFIX ? -m.path().length() : 0)
            .thenComparing(SAME_PATH);
}
