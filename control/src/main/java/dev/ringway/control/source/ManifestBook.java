package dev.ringway.control.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.core.model.ObjectMeta;
import dev.ringway.core.model.Resource;
import dev.ringway.core.model.ResourceKey;
import dev.ringway.core.parse.ParseProblem;
import dev.ringway.core.parse.ParseResult;
import dev.ringway.core.parse.ParsedObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Standalone-mode bookkeeping: the objects of every manifest file, merged into one set, with the
 * metadata an API server would have set.
 *
 * <ul>
 *   <li>A file's objects replace that file's previous ones. When a file has parse errors, the last
 *       version read without error of each object the error concerns (of every object missing from
 *       the new read, for an error that names no object, such as invalid YAML) stays in use.</li>
 *   <li>{@code metadata.generation} and {@code creationTimestamp} come from the manifest when it
 *       gives them; otherwise generation is 1 when an object is first seen and goes up by one each
 *       time its spec (everything but {@code metadata} and {@code apiVersion}) changes, and the
 *       creation time is when it was first seen (RFC 3339, UTC, seconds). An object that disappears
 *       from every file is forgotten.</li>
 *   <li>The same object in two files: the file written last wins (files read together count in the
 *       order given), with a warning naming both.</li>
 * </ul>
 * Metadata is stamped when {@link #resources()} is read: changes applied between two reads (one
 * reconcile batch) count as one change. Not thread-safe: owned by one actor.
 */
public final class ManifestBook {

    /** The current content of one file (or other origin). */
    private record FileEntry(long seq, List<ParsedObject> objects, List<ParseProblem> problems, List<String> skipped) {
    }

    /** What was stamped last time; {@code read} is the object as parsed, to skip re-digesting it. */
    private record Tracked(long generation, String created, String specDigest, Resource read) {
    }

    private final Clock clock;
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    private final Map<String, FileEntry> files = new HashMap<>();
    private final Map<ResourceKey, Tracked> tracked = new HashMap<>();
    private long seq;
    private boolean dirty = true;
    private List<Resource> resources = List.of();
    private Map<ResourceKey, String> originOf = Map.of();
    private List<ParseProblem> conflicts = List.of();

    public ManifestBook(Clock clock) {
        this.clock = clock;
    }

    public ManifestBook() {
        this(Clock.systemUTC());
    }

    /** Replaces the objects of {@code origin} with what was read from it. */
    public void put(String origin, ParseResult result) {
        FileEntry prev = files.get(origin);
        List<ParsedObject> objects = new ArrayList<>(result.objects());
        List<ParseProblem> problems = new ArrayList<>(result.problems());
        if (prev != null && result.hasErrors()) {
            Set<ResourceKey> present = new HashSet<>();
            objects.forEach(o -> present.add(o.resource().key()));
            boolean anonymous = false;
            List<ParseProblem> named = new ArrayList<>();
            for (ParseProblem p : result.problems()) {
                if (p.severity() != ParseProblem.Severity.ERROR) {
                    continue;
                }
                if (p.kind() == null || p.name() == null) {
                    anonymous = true;
                } else {
                    named.add(p);
                }
            }
            for (ParsedObject o : prev.objects()) {
                ResourceKey k = o.resource().key();
                if (present.contains(k)) {
                    continue;
                }
                if (anonymous || named.stream().anyMatch(p -> concerns(p, k))) {
                    objects.add(o);
                    problems.add(new ParseProblem(ParseProblem.Severity.WARNING, origin, o.document(), k.kind(),
                            k.namespace().isEmpty() ? null : k.namespace(), k.name(), null,
                            "the last version read without errors stays in use until the file is fixed"));
                }
            }
        }
        files.put(origin, new FileEntry(++seq, List.copyOf(objects), List.copyOf(problems), result.skipped()));
        dirty = true;
    }

    /** Forgets every object read from {@code origin} (the file was deleted). */
    public void remove(String origin) {
        if (files.remove(origin) != null) {
            dirty = true;
        }
    }

    private static boolean concerns(ParseProblem p, ResourceKey k) {
        if (!k.kind().equals(p.kind()) || !k.name().equals(p.name())) {
            return false;
        }
        return p.namespace() == null || p.namespace().isEmpty() || k.namespace().isEmpty()
                || k.namespace().equals(p.namespace());
    }

    /** The merged, stamped objects of every origin, sorted by key. */
    public List<Resource> resources() {
        recompute();
        return resources;
    }

    /** The origin each current object comes from. */
    public Map<ResourceKey, String> origins() {
        recompute();
        return originOf;
    }

    /** Parse problems of every origin (sorted by origin), then duplicate-object warnings. */
    public List<ParseProblem> problems() {
        recompute();
        List<ParseProblem> out = new ArrayList<>();
        new TreeMap<>(files).values().forEach(f -> out.addAll(f.problems()));
        out.addAll(conflicts);
        return out;
    }

    /** Warnings about objects defined in more than one file. */
    public List<ParseProblem> conflicts() {
        recompute();
        return conflicts;
    }

    /** Kinds skipped because Ringway does not read them, per origin. */
    public List<String> skipped() {
        List<String> out = new ArrayList<>();
        new TreeMap<>(files).values().forEach(f -> out.addAll(f.skipped()));
        return out;
    }

    public int errorCount() {
        return (int) problems().stream().filter(p -> p.severity() == ParseProblem.Severity.ERROR).count();
    }

    private void recompute() {
        if (!dirty) {
            return;
        }
        dirty = false;
        List<Map.Entry<String, FileEntry>> ordered = new ArrayList<>(files.entrySet());
        ordered.sort(Map.Entry.comparingByValue((a, b) -> Long.compare(a.seq(), b.seq())));
        Map<ResourceKey, ParsedObject> winners = new TreeMap<>();
        Map<ResourceKey, String> origin = new HashMap<>();
        Map<ResourceKey, List<String>> seenIn = new LinkedHashMap<>();
        for (Map.Entry<String, FileEntry> e : ordered) {
            for (ParsedObject o : e.getValue().objects()) {
                ResourceKey k = o.resource().key();
                winners.put(k, o);
                origin.put(k, e.getKey());
                seenIn.computeIfAbsent(k, x -> new ArrayList<>()).add(e.getKey()
                        + (o.document() > 0 ? " (document " + o.document() + ")" : ""));
            }
        }
        List<ParseProblem> dup = new ArrayList<>();
        seenIn.forEach((k, where) -> {
            if (where.size() > 1) {
                String winner = where.getLast();
                dup.add(new ParseProblem(ParseProblem.Severity.WARNING, origin.get(k), 0, k.kind(),
                        k.namespace().isEmpty() ? null : k.namespace(), k.name(), null,
                        "defined more than once, in " + String.join(" and ", where) + "; using the one in "
                                + winner + " (written last)"));
            }
        });
        conflicts = List.copyOf(dup);

        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
        List<Resource> out = new ArrayList<>(winners.size());
        Map<ResourceKey, Tracked> next = new HashMap<>();
        for (Map.Entry<ResourceKey, ParsedObject> e : winners.entrySet()) {
            ResourceKey k = e.getKey();
            Resource r = e.getValue().resource();
            ObjectMeta m = r.metadata();
            Tracked t = tracked.get(k);
            String digest = t != null && t.read() == r ? t.specDigest() : specDigest(r); // unchanged file: same object
            String created = m.creationTimestamp() != null && !m.creationTimestamp().isEmpty()
                    ? m.creationTimestamp()
                    : t != null ? t.created() : now;
            long generation;
            if (m.generation() != null) {
                generation = m.generation();
            } else if (t == null) {
                generation = 1;
            } else {
                generation = digest.equals(t.specDigest()) ? t.generation() : t.generation() + 1;
            }
            next.put(k, new Tracked(generation, created, digest, r));
            out.add(r.withMetadata(m.withGeneration(generation).withCreationTimestamp(created)));
        }
        tracked.clear();
        tracked.putAll(next);
        resources = Collections.unmodifiableList(out);
        originOf = Collections.unmodifiableMap(origin);
    }

    /**
     * A digest of everything but metadata and apiVersion: a change of labels or annotations (or
     * a move to a newer apiVersion of the same schema) is not a spec change.
     */
    String specDigest(Resource r) {
        String text;
        try {
            JsonNode tree = mapper.valueToTree(r);
            if (tree instanceof ObjectNode o) {
                o.remove("metadata");
                o.remove("apiVersion");
            }
            text = r.kind() + ":" + tree;
        } catch (IllegalArgumentException e) {
            text = r.kind() + ":" + r.withMetadata(ObjectMeta.of(r.metadata().namespace(), r.metadata().name()));
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
