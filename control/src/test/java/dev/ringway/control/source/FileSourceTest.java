package dev.ringway.control.source;

import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParsedObject;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FileSourceTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @TempDir
    Path dir;
    final ConcurrentLinkedQueue<SourceEvent> events = new ConcurrentLinkedQueue<>();
    ActorRef<FileSource.Command> source;

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @BeforeEach
    void clear() {
        events.clear();
    }

    @AfterEach
    void stop() {
        if (source != null) {
            kit.stop(source);
        }
    }

    static String route(String name, String path) {
        return """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: %s}
                spec:
                  rules:
                  - matches: [{path: {type: PathPrefix, value: %s}}]
                """.formatted(name, path);
    }

    void start(Path... roots) {
        FileSource.Settings s = new FileSource.Settings(List.of(roots), Duration.ofMillis(150), Duration.ofMillis(25),
                Duration.ofMillis(500), 1 << 20);
        source = kit.spawn(FileSource.create(s, e -> events.add(e), ManifestParser.create()));
    }

    void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    List<SourceEvent> eventsFor(Path p) {
        String origin = p.toString();
        return events.stream().filter(e -> switch (e) {
            case SourceEvent.Upsert u -> u.origin().equals(origin);
            case SourceEvent.Removed r -> r.origin().equals(origin);
            case SourceEvent.Synced s -> false;
        }).toList();
    }

    SourceEvent.Synced synced() {
        return events.stream().filter(e -> e instanceof SourceEvent.Synced).map(e -> (SourceEvent.Synced) e)
                .findFirst().orElse(null);
    }

    SourceEvent last(Path p) {
        List<SourceEvent> l = eventsFor(p);
        return l.isEmpty() ? null : l.getLast();
    }

    List<String> names(SourceEvent e) {
        return ((SourceEvent.Upsert) e).result().objects().stream().map(ParsedObject::resource).map(r -> r.name()).toList();
    }

    @Test
    void initialScanReadsManifestsOnlyThenSyncs() throws IOException {
        write(dir.resolve("a.yaml"), route("a", "/a"));
        write(dir.resolve("sub/deeper/b.yml"), route("b", "/b"));
        write(dir.resolve("c.json"), """
                {"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"c"},"spec":{}}
                """);
        for (String ignored : List.of(".hidden.yaml", "x.yaml~", ".x.yaml.swp", "y.yaml.swp", "z.yaml.tmp", "notes.txt",
                ".git/config.yaml", "#a.yaml#", "..data/d.yaml")) {
            write(dir.resolve(ignored), route("ignored", "/x"));
        }
        start(dir);
        await().atMost(Duration.ofSeconds(5)).until(() -> synced() != null);
        assertThat(synced().origins()).containsExactlyInAnyOrder(dir.resolve("a.yaml").toString(),
                dir.resolve("sub/deeper/b.yml").toString(), dir.resolve("c.json").toString());
        assertThat(events.stream().filter(e -> e instanceof SourceEvent.Upsert).count()).isEqualTo(3);
        // the sync marker comes after the initial files
        assertThat(events.stream().toList().getLast()).isInstanceOf(SourceEvent.Synced.class);
        assertThat(names(last(dir.resolve("c.json")))).containsExactly("c");
    }

    @Test
    void createModifyDeleteAndNewSubdirectories() throws IOException {
        start(dir);
        await().until(() -> synced() != null);
        assertThat(synced().origins()).isEmpty();

        Path a = dir.resolve("a.yaml");
        write(a, route("a", "/a") + "---\n" + route("a2", "/a2") + "---\n" + route("a3", "/a3"));
        await().atMost(Duration.ofSeconds(3)).until(() -> last(a) != null);
        assertThat(names(last(a))).containsExactly("a", "a2", "a3");

        write(a, route("a", "/changed"));
        await().atMost(Duration.ofSeconds(3)).until(() -> last(a) instanceof SourceEvent.Upsert u
                && u.result().objects().size() == 1);

        Path nested = dir.resolve("new/deeper/n.yaml");
        write(nested, route("n", "/n"));
        await().atMost(Duration.ofSeconds(3)).until(() -> last(nested) != null);
        assertThat(names(last(nested))).containsExactly("n");

        Files.delete(a);
        await().atMost(Duration.ofSeconds(3)).until(() -> last(a) instanceof SourceEvent.Removed);

        // deleting a whole directory removes its files
        Files.delete(nested);
        Files.delete(nested.getParent());
        await().atMost(Duration.ofSeconds(3)).until(() -> last(nested) instanceof SourceEvent.Removed);
    }

    @Test
    void tempAndSwapFilesAreIgnored() throws IOException, InterruptedException {
        start(dir);
        await().until(() -> synced() != null);
        write(dir.resolve(".a.yaml.swp"), "garbage: [");
        write(dir.resolve("a.yaml~"), route("old", "/old"));
        write(dir.resolve("a.yaml.tmp"), route("tmp", "/tmp"));
        write(dir.resolve(".#a.yaml"), "lock");
        Thread.sleep(700); // settle plus one rescan
        assertThat(events).hasSize(1); // only the sync marker
    }

    @Test
    void slowlyWrittenFileIsNotReadHalfDone() throws IOException, InterruptedException {
        start(dir);
        await().until(() -> synced() != null);
        Path f = dir.resolve("slow.yaml");
        StringBuilder full = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            full.append("---\n").append(route("r" + i, "/r" + i));
        }
        byte[] bytes = full.toString().getBytes(StandardCharsets.UTF_8);
        int chunk = bytes.length / 8 + 1;
        try (OutputStream out = Files.newOutputStream(f)) {
            for (int off = 0; off < bytes.length; off += chunk) {
                out.write(bytes, off, Math.min(chunk, bytes.length - off));
                out.flush();
                Thread.sleep(40);
            }
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> last(f) != null);
        Thread.sleep(300);
        List<SourceEvent> all = eventsFor(f);
        assertThat(all).hasSize(1);
        SourceEvent.Upsert u = (SourceEvent.Upsert) all.getFirst();
        assertThat(u.result().problems()).isEmpty();
        assertThat(u.result().objects()).hasSize(6);
    }

    @Test
    void editorStyleReplaceAndAtomicRenameNeverRemoveTheFile() throws IOException, InterruptedException {
        Path a = dir.resolve("a.yaml");
        write(a, route("a", "/a"));
        start(dir);
        await().until(() -> synced() != null);

        // delete and re-create quickly (some editors do this on save)
        Files.delete(a);
        Thread.sleep(30);
        write(a, route("a", "/b"));
        await().atMost(Duration.ofSeconds(3)).until(() -> eventsFor(a).size() == 2);

        // the safe way: write a temp file, rename it into place
        Path tmp = dir.resolve(".a.yaml.tmp");
        write(tmp, route("a", "/c"));
        Files.move(tmp, a, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(3)).until(() -> eventsFor(a).size() == 3);
        Thread.sleep(300);
        assertThat(eventsFor(a)).hasSize(3).allMatch(e -> e instanceof SourceEvent.Upsert);
    }

    @Test
    void explicitFileIsWatchedAndParseProblemsNameTheFile() throws IOException {
        Path f = dir.resolve("gateway.conf"); // named explicitly: read whatever its extension
        write(f, route("a", "/a"));
        write(dir.resolve("other.yaml"), route("other", "/o"));
        start(f);
        await().until(() -> synced() != null);
        assertThat(synced().origins()).containsExactly(f.toString());

        write(f, "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: a}\nspec: {parentRefs: 5}\n");
        await().atMost(Duration.ofSeconds(3)).until(() -> eventsFor(f).size() == 2);
        SourceEvent.Upsert u = (SourceEvent.Upsert) last(f);
        assertThat(u.result().problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(f.toString());
            assertThat(p.field()).startsWith("spec.parentRefs");
        });
    }

    @Test
    void kubernetesConfigMapVolumeSwapIsSeen() throws IOException {
        // the layout kubelet writes: a.yaml -> ..data/a.yaml, ..data -> ..<timestamp>/, swapped by a rename
        write(dir.resolve("..2025_01/a.yaml"), route("a", "/one"));
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2025_01"));
        Files.createSymbolicLink(dir.resolve("a.yaml"), Path.of("..data/a.yaml"));
        start(dir);
        await().until(() -> synced() != null);
        assertThat(synced().origins()).containsExactly(dir.resolve("a.yaml").toString());

        write(dir.resolve("..2025_02/a.yaml"), route("a", "/two"));
        Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..2025_02"));
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Path a = dir.resolve("a.yaml");
        await().atMost(Duration.ofSeconds(3)).until(() -> eventsFor(a).size() == 2);
        assertThat(last(a)).isInstanceOfSatisfying(SourceEvent.Upsert.class, u -> assertThat(u.result().objects()
                .getFirst().resource().toString()).contains("/two"));
    }

    @Test
    void aDirectoryWatchedUnderTwoPathsReportsChangesForBoth() throws IOException {
        // one inotify watch serves both paths; events must still reach the directory root's files
        Path real = dir.resolve("real");
        write(real.resolve("a.yaml"), route("a", "/a"));
        write(real.resolve("b.yaml"), route("b", "/b"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        FileSource.Settings s = new FileSource.Settings(List.of(real, link.resolve("a.yaml")), Duration.ofMillis(100),
                Duration.ofMillis(25), Duration.ofSeconds(30), 1 << 20);
        source = kit.spawn(FileSource.create(s, e -> events.add(e), ManifestParser.create()));
        await().until(() -> synced() != null);
        Path b = real.resolve("b.yaml");
        write(b, route("b", "/changed"));
        await().atMost(Duration.ofSeconds(3)).until(() -> eventsFor(b).size() == 2);
        Path viaLink = link.resolve("a.yaml");
        write(real.resolve("a.yaml"), route("a", "/changed"));
        await().atMost(Duration.ofSeconds(3)).until(() -> eventsFor(viaLink).size() == 2
                && eventsFor(real.resolve("a.yaml")).size() == 2);
    }

    @Test
    void touchWithoutChangeEmitsNothing() throws IOException, InterruptedException {
        Path a = dir.resolve("a.yaml");
        write(a, route("a", "/a"));
        start(dir);
        await().until(() -> synced() != null);
        Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Thread.sleep(800);
        assertThat(eventsFor(a)).hasSize(1);
    }

    @Test
    void aFailedWatcherRestartsWithBackoffAndReportsEverythingAgain() throws IOException {
        Path a = dir.resolve("a.yaml");
        Path b = dir.resolve("b.yaml");
        write(a, route("a", "/a"));
        write(b, route("b", "/b"));
        FileSource.Settings s = new FileSource.Settings(List.of(dir), Duration.ofMillis(100), Duration.ofMillis(25),
                Duration.ofSeconds(5), 1 << 20);
        source = kit.spawn(org.apache.pekko.actor.typed.javadsl.Behaviors.supervise(
                        FileSource.create(s, e -> events.add(e), ManifestParser.create()))
                .onFailure(org.apache.pekko.actor.typed.SupervisorStrategy.restartWithBackoff(Duration.ofMillis(100),
                        Duration.ofSeconds(1), 0.1)));
        await().atMost(Duration.ofSeconds(3)).until(() -> synced() != null);
        events.clear();
        Files.delete(b); // while the watcher is broken (the restart rescans and re-syncs)
        source.tell(new FileSource.WatcherFailed(new java.io.IOException("inotify gone")));
        await().atMost(Duration.ofSeconds(5)).until(() -> synced() != null);
        assertThat(synced().origins()).containsExactly(a.toString());
        assertThat(eventsFor(a)).singleElement().isInstanceOf(SourceEvent.Upsert.class);
        // and it watches again
        Path c = dir.resolve("c.yaml");
        write(c, route("c", "/c"));
        await().atMost(Duration.ofSeconds(3)).until(() -> last(c) != null);
    }

    @Test
    void eventsRejectedByAFullIntakeAreOfferedAgain() throws IOException {
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger(3);
        write(dir.resolve("a.yaml"), route("a", "/a"));
        FileSource.Settings s = new FileSource.Settings(List.of(dir), Duration.ofMillis(100), Duration.ofMillis(25),
                Duration.ofMillis(500), 1 << 20);
        source = kit.spawn(FileSource.create(s, e -> refusals.getAndDecrement() <= 0 && events.add(e),
                ManifestParser.create()));
        await().atMost(Duration.ofSeconds(3)).until(() -> synced() != null);
        assertThat(events).hasSize(2);
    }
}
