package dev.ringway.control.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringway.control.source.FileFilter;
import dev.ringway.control.source.ManifestBook;
import dev.ringway.control.status.StatusJson;
import dev.ringway.core.dump.Dumps;
import dev.ringway.core.model.Kinds;
import dev.ringway.core.model.ParentReference;
import dev.ringway.core.model.Resource;
import dev.ringway.core.model.ResourceKey;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParseProblem;
import dev.ringway.core.status.Condition;
import dev.ringway.core.status.Conditions;
import dev.ringway.core.status.ObjectStatus;
import dev.ringway.core.status.StatusReport;
import dev.ringway.core.translate.BindFeedback;
import dev.ringway.core.translate.Translation;
import dev.ringway.core.translate.Translator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ringway validate}: reads manifests as {@code run} would, translates them offline and prints
 * every object's conditions. Exits 1 when a file has a parse error, the snapshot is invalid, or an
 * object Ringway handles is not accepted. Accepted objects that will not work as written (a reference
 * not resolved, a listener not programmed or in conflict) are warnings: printed, counted, and with
 * {@code --strict} a failure too.
 */
@Command(name = "validate", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Check manifests offline: parse, translate, print every object's conditions.",
                "Exits 1 when a file has an error or an object is not accepted (with --strict: also on warnings).",
                "Warnings: an accepted object that will not work as written (unresolved reference, listener not",
                "programmed or in conflict)."})
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "manifest files or directories")
    List<Path> paths;

    @Mixin
    Options.Translation translation = new Options.Translation();

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "text (default) or json (the /status list and the problems)")
    String output;

    @Option(names = {"-q", "--quiet"}, description = "print only problems and objects that are not accepted")
    boolean quiet;

    @Option(names = "--strict", description = "exit 1 on warnings too")
    boolean strict;

    @Override
    public Integer call() throws IOException {
        if (!output.equals("text") && !output.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--output " + output + ": expected text or json");
        }
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new CommandLine.ParameterException(spec.commandLine(), p + ": no such file or directory");
            }
            files.addAll(manifestFiles(p));
        }
        ManifestParser parser = ManifestParser.create();
        ManifestBook book = new ManifestBook();
        for (Path f : files) {
            book.put(f.toString(), parser.parse(f));
        }
        List<Resource> resources = book.resources();
        Translation t = Translator.create(translation.toTranslatorOptions(spec)).translate(resources, BindFeedback.NONE);
        Map<ResourceKey, String> origins = book.origins();
        List<ParseProblem> problems = book.problems();

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int parseErrors = (int) problems.stream().filter(p -> p.severity() == ParseProblem.Severity.ERROR).count();
        List<String> rejected = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<ResourceKey, StatusReport.Entry> e : t.statuses().entries().entrySet()) {
            notAccepted(e.getKey(), e.getValue().status(), origins.get(e.getKey()), rejected);
            warnings(e.getKey(), e.getValue().status(), origins.get(e.getKey()), warnings);
        }
        boolean ok = parseErrors == 0 && t.valid() && rejected.isEmpty() && (!strict || warnings.isEmpty());

        if (output.equals("json")) {
            ObjectNode root = StatusJson.MAPPER.createObjectNode();
            root.put("valid", ok);
            root.set("status", Dumps.statusList(t.statuses(), null));
            ObjectNode pr = StatusJson.problems(new dev.ringway.control.status.StatusView(t.statuses(), Map.of(),
                    problems, t.validationErrors(), null));
            root.set("problems", pr.get("problems"));
            root.set("validationErrors", pr.get("validationErrors"));
            ArrayNode rj = root.putArray("notAccepted");
            rejected.forEach(rj::add);
            ArrayNode wj = root.putArray("warnings");
            warnings.forEach(wj::add);
            out.println(StatusJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            out.flush();
            return ok ? 0 : 1;
        }

        for (ParseProblem p : problems) {
            (p.severity() == ParseProblem.Severity.ERROR ? err : out).println(p.describe());
        }
        for (String v : t.validationErrors()) {
            err.println("error: snapshot invalid: " + v);
        }
        if (!quiet) {
            for (Map.Entry<ResourceKey, StatusReport.Entry> e : t.statuses().entries().entrySet()) {
                print(out, e.getKey(), e.getValue(), origins.get(e.getKey()));
            }
            for (Resource r : resources) {
                if (Kinds.STATUS_KINDS.contains(r.kind()) && !t.statuses().entries().containsKey(r.key())) {
                    out.println(r.key() + "  (" + origins.get(r.key()) + ")");
                    out.println("  not handled by this gateway (another controller's GatewayClass, or no parent here)");
                }
            }
        }
        for (String r : rejected) {
            err.println("error: " + r);
        }
        for (String w : warnings) {
            err.println("warning: " + w);
        }
        out.flush();
        String summary = files.size() + " files, " + resources.size() + " objects, " + t.statuses().entries().size()
                + " with status: " + parseErrors + " parse errors, " + rejected.size() + " not accepted, "
                + warnings.size() + (warnings.size() == 1 ? " warning" : " warnings")
                + (t.valid() ? "" : ", snapshot invalid");
        (ok ? out : err).println((ok ? "OK: " : "FAILED: ") + summary);
        out.flush();
        err.flush();
        return ok ? 0 : 1;
    }

    /** Files {@code run --config PATH} would read. */
    public static List<Path> manifestFiles(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        TreeSet<Path> out = new TreeSet<>();
        try (Stream<Path> s = Files.walk(p, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            s.filter(Files::isRegularFile).filter(f -> FileFilter.accepts(p, f)).forEach(out::add);
        }
        return List.copyOf(out);
    }

    private static void notAccepted(ResourceKey key, ObjectStatus status, String file, List<String> out) {
        String where = (file == null ? "" : file + ": ") + key;
        switch (status) {
            case ObjectStatus.GatewayClassStatus s -> objectLevel(where, s.conditions(), out);
            case ObjectStatus.GatewayStatus s -> objectLevel(where, s.conditions(), out);
            case ObjectStatus.ListenerSetStatus s -> objectLevel(where, s.conditions(), out);
            case ObjectStatus.RouteStatus s -> s.parents().forEach(p -> {
                Condition c = find(p.conditions(), Conditions.ACCEPTED);
                if (c != null && !c.isTrue()) {
                    out.add(where + ": not accepted by " + ref(p.parentRef(), key.namespace()) + ": " + c.reason()
                            + ": " + c.message());
                }
            });
            case ObjectStatus.PolicyStatus s -> s.ancestors().forEach(a -> {
                Condition c = find(a.conditions(), Conditions.ACCEPTED);
                if (c != null && !c.isTrue()) {
                    out.add(where + ": not accepted for " + ref(a.ancestorRef(), key.namespace()) + ": " + c.reason()
                            + ": " + c.message());
                }
            });
        }
    }

    /**
     * What is accepted but will not work as written: a reference not resolved (the route answers 500
     * for that backend, the listener is not served), a listener not programmed or in conflict.
     */
    private static final Set<String> LISTENER_MUST_BE_TRUE = Set.of(Conditions.RESOLVED_REFS,
            Conditions.PROGRAMMED);

    private static void warnings(ResourceKey key, ObjectStatus status, String file, List<String> out) {
        String where = (file == null ? "" : file + ": ") + key;
        switch (status) {
            case ObjectStatus.GatewayStatus s -> s.listeners().forEach(l -> {
                for (Condition c : l.conditions()) {
                    // Conflicted is the one listener condition whose True is the problem
                    if (c.type().equals(Conditions.CONFLICTED) ? c.isTrue() : LISTENER_MUST_BE_TRUE.contains(c.type()) && !c.isTrue()) {
                        out.add(where + ": listener " + l.name() + ": " + c.type() + "=" + c.status() + " "
                                + c.reason() + ": " + c.message());
                    }
                }
            });
            case ObjectStatus.RouteStatus s -> s.parents().forEach(p -> {
                Condition accepted = find(p.conditions(), Conditions.ACCEPTED);
                Condition c = find(p.conditions(), Conditions.RESOLVED_REFS);
                if ((accepted == null || accepted.isTrue()) && c != null && !c.isTrue()) {
                    out.add(where + ": for " + ref(p.parentRef(), key.namespace()) + ": ResolvedRefs=False "
                            + c.reason() + ": " + c.message());
                }
            });
            default -> {
            }
        }
    }

    private static void objectLevel(String where, List<Condition> conditions, List<String> out) {
        Condition c = find(conditions, Conditions.ACCEPTED);
        if (c != null && !c.isTrue()) {
            out.add(where + ": not accepted: " + c.reason() + ": " + c.message());
        }
    }

    private static Condition find(List<Condition> conditions, String type) {
        for (Condition c : conditions) {
            if (c.type().equals(type)) {
                return c;
            }
        }
        return null;
    }

    private static String ref(ParentReference r, String ownNamespace) {
        String s = r.kind() + " " + r.namespaceOr(ownNamespace) + "/" + r.name();
        if (r.sectionName() != null) {
            s += " section " + r.sectionName();
        }
        if (r.port() != null) {
            s += " port " + r.port();
        }
        return s;
    }

    private static void print(PrintWriter out, ResourceKey key, StatusReport.Entry e, String file) {
        out.println(key + "  (" + (file == null ? "?" : file) + ", generation " + e.generation() + ")");
        switch (e.status()) {
            case ObjectStatus.GatewayClassStatus s -> conditions(out, "  ", s.conditions());
            case ObjectStatus.GatewayStatus s -> {
                if (!s.addresses().isEmpty()) {
                    out.println("  addresses: " + String.join(", ", s.addresses().stream().map(ObjectStatus.Address::value)
                            .toList()));
                }
                conditions(out, "  ", s.conditions());
                listeners(out, s.listeners());
            }
            case ObjectStatus.ListenerSetStatus s -> {
                conditions(out, "  ", s.conditions());
                listeners(out, s.listeners());
            }
            case ObjectStatus.RouteStatus s -> {
                if (s.parents().isEmpty()) {
                    out.println("  no parents");
                }
                for (ObjectStatus.RouteParentStatus p : s.parents()) {
                    out.println("  parent " + ref(p.parentRef(), key.namespace()) + ":");
                    conditions(out, "    ", p.conditions());
                }
            }
            case ObjectStatus.PolicyStatus s -> {
                for (ObjectStatus.PolicyAncestorStatus a : s.ancestors()) {
                    out.println("  ancestor " + ref(a.ancestorRef(), key.namespace()) + ":");
                    conditions(out, "    ", a.conditions());
                }
            }
        }
    }

    private static void listeners(PrintWriter out, List<ObjectStatus.ListenerStatus> listeners) {
        for (ObjectStatus.ListenerStatus l : listeners) {
            out.println("  listener " + l.name() + " (" + l.attachedRoutes() + " routes):");
            conditions(out, "    ", l.conditions());
        }
    }

    private static void conditions(PrintWriter out, String indent, List<Condition> conditions) {
        for (Condition c : conditions) {
            out.println(indent + c.type() + "=" + c.status() + " " + c.reason()
                    + (c.isTrue() || c.message() == null || c.message().isEmpty() ? "" : ": " + c.message()));
        }
    }
}
