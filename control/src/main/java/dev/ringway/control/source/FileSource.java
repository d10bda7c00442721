package dev.ringway.control.source;

import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParseProblem;
import dev.ringway.core.parse.ParseResult;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Watches the files and directories given with {@code --config} (directories recursively, new
 * subdirectories included) and reports each manifest file's objects as one {@link SourceEvent}:
 * created or changed files as {@link SourceEvent.Upsert}, deleted ones as {@link SourceEvent.Removed}.
 *
 * <p>Change detection: a {@link WatchService} on every directory (a virtual thread forwards its
 * events), plus a periodic full rescan as a safety net (missed or overflowed events, network file
 * systems). A file is not read half-written: after a change it is re-read on every tick until its
 * size, modification time and content hash have stayed the same for the settle interval; a
 * deletion must last that long too, so an editor that deletes and re-creates a file (or a writer
 * that renames a finished temp file into place, which is the safe way) never makes its objects
 * disappear in between. Parse problems are logged when a file is read and travel with its event.
 */
public final class FileSource extends AbstractBehavior<FileSource.Command> {
    public static final String SOURCE = "file";

    public sealed interface Command {
    }

    /** From the watcher thread: something changed in {@code dir} ({@code names} of the entries). */
    record DirChanged(Path dir, List<Path> names, boolean overflow) implements Command {
    }

    record WatcherFailed(Throwable cause) implements Command {
    }

    private enum Tick implements Command { SETTLE, RESCAN, SYNC_DEADLINE }

    /**
     * @param roots        files and directories to watch, as given
     * @param settle       how long a file must stay unchanged before it is read
     * @param tick         how often changed files are re-checked while settling
     * @param rescan       full rescan interval (safety net)
     * @param maxFileBytes larger files are reported as a problem, not read
     */
    public record Settings(List<Path> roots, Duration settle, Duration tick, Duration rescan, long maxFileBytes) {
        public Settings {
            roots = roots.stream().map(Path::normalize).map(p -> p.toString().isEmpty() ? Path.of(".") : p).toList();
        }

        public static Settings of(List<Path> roots) {
            return new Settings(roots, Duration.ofMillis(150), Duration.ofMillis(50), Duration.ofSeconds(2),
                    16L * 1024 * 1024);
        }
    }

    public static Behavior<Command> create(Settings settings, EventSink sink, ManifestParser parser) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new FileSource(ctx, timers, settings, sink, parser)));
    }

    /** What a file looked like at one check; {@code exists == false} for a missing file. */
    private record Observation(boolean exists, long size, long mtime, String hash) {
        static final Observation ABSENT = new Observation(false, -1, -1, null);
    }

    private static final class Pending {
        Observation last;
        long stableSince;
        byte[] content;
    }

    private final TimerScheduler<Command> timers;
    private final Settings settings;
    private final EventSink sink;
    private final ManifestParser parser;
    private final WatchService watch;
    private final Map<Path, WatchKey> watched = new HashMap<>();
    /** Every registered path of a directory, by file key: one inotify watch serves them all. */
    private final Map<Object, Set<Path>> aliases = new HashMap<>();
    private final Map<Path, Observation> known = new TreeMap<>();
    private final TreeMap<Path, Pending> pending = new TreeMap<>();
    private final LinkedHashMap<String, SourceEvent> outbox = new LinkedHashMap<>();
    private final Set<Path> rootFiles = new HashSet<>();
    private final List<Path> rootDirs = new ArrayList<>();
    private boolean syncing = true;
    private boolean ticking;

    private FileSource(ActorContext<Command> ctx, TimerScheduler<Command> timers, Settings settings, EventSink sink,
                       ManifestParser parser) throws IOException {
        super(ctx);
        this.timers = timers;
        this.settings = settings;
        this.sink = sink;
        this.parser = parser;
        this.watch = FileSystems.getDefault().newWatchService();
        startWatcherThread(ctx.getSelf());
        for (Path root : settings.roots()) {
            if (Files.isDirectory(root)) {
                rootDirs.add(root);
            } else {
                rootFiles.add(root);
                if (!Files.exists(root)) {
                    ctx.getLog().warn("{} does not exist (yet); watching for it", root);
                }
            }
        }
        rescanAll();
        timers.startTimerWithFixedDelay(Tick.RESCAN, Tick.RESCAN, settings.rescan());
        timers.startSingleTimer(Tick.SYNC_DEADLINE, Tick.SYNC_DEADLINE, Duration.ofSeconds(10));
        ctx.getLog().info("watching {}", settings.roots());
        checkSynced();
    }

    private void startWatcherThread(ActorRef<Command> self) {
        WatchService ws = watch;
        Thread.ofVirtual().name("ringway-file-watch").start(() -> {
            try {
                while (true) {
                    WatchKey key = ws.take();
                    boolean overflow = false;
                    List<Path> names = new ArrayList<>();
                    for (WatchEvent<?> ev : key.pollEvents()) {
                        if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                            overflow = true;
                        } else if (ev.context() instanceof Path p) {
                            names.add(p);
                        }
                    }
                    key.reset();
                    self.tell(new DirChanged((Path) key.watchable(), names, overflow));
                }
            } catch (ClosedWatchServiceException | InterruptedException e) {
                // stopping
            } catch (Throwable t) {
                self.tell(new WatcherFailed(t));
            }
        });
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(DirChanged.class, this::onDirChanged)
                .onMessageEquals(Tick.SETTLE, this::onSettle)
                .onMessageEquals(Tick.RESCAN, () -> {
                    rescanAll();
                    return this;
                })
                .onMessageEquals(Tick.SYNC_DEADLINE, () -> {
                    if (syncing) {
                        getContext().getLog().warn("files still changing after 10 s: starting with {} of them "
                                + "unread ({})", pending.size(), pending.keySet());
                        emitSynced();
                    }
                    return this;
                })
                .onMessage(WatcherFailed.class, f -> {
                    throw new IllegalStateException("file watcher failed", f.cause());
                })
                .onSignal(PostStop.class, s -> {
                    closeWatch();
                    return this;
                })
                .onSignal(org.apache.pekko.actor.typed.PreRestart.class, s -> {
                    closeWatch();
                    return this;
                })
                .build();
    }

    private void closeWatch() {
        try {
            watch.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    // ---- discovery ----

    private Behavior<Command> onDirChanged(DirChanged d) {
        if (d.overflow()) {
            rescanAll();
            return this;
        }
        // the same directory may be watched under several paths (./x and ../here/x): handle each
        Set<Path> dirs = aliases.getOrDefault(fileKey(d.dir()), Set.of(d.dir()));
        for (Path dir : dirs.isEmpty() ? Set.of(d.dir()) : dirs) {
            onDirChanged(dir, d.names());
        }
        if (!Files.isDirectory(d.dir())) {
            WatchKey k = watched.remove(d.dir());
            if (k != null) {
                k.cancel();
            }
        }
        return this;
    }

    private void onDirChanged(Path dir, List<Path> names) {
        for (Path name : names) {
            // paths stay as the walk builds them (root.resolve(...)); root files compare normalized
            Path p = dir.resolve(name);
            String n = name.toString();
            for (Path f : rootFiles) {
                if (f.normalize().equals(p.normalize())) {
                    markPending(f);
                }
            }
            Path root = rootDirOf(p);
            if (root != null) {
                if (Files.isDirectory(p) && FileFilter.isWatchedDirName(n)) {
                    walk(root, p);
                } else if (FileFilter.accepts(root, p)) {
                    markPending(p);
                } else if (n.startsWith(".")) {
                    // e.g. the ..data symlink swap of a Kubernetes volume: the visible files may have changed
                    for (Path k : knownIn(dir)) {
                        markPending(k);
                    }
                }
            }
            // a deleted directory: everything known under it must be checked
            for (Path k : knownUnder(p)) {
                markPending(k);
            }
        }
    }

    /** The directory's identity (inode), or its path when the file system has none. */
    private static Object fileKey(Path dir) {
        try {
            Object k = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
            return k != null ? k : dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    private Path rootDirOf(Path p) {
        Path best = null;
        for (Path r : rootDirs) {
            if (p.startsWith(r) && !p.equals(r) && (best == null || r.getNameCount() > best.getNameCount())) {
                best = r;
            }
        }
        return best;
    }

    private List<Path> knownIn(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path k : known.keySet()) {
            if (dir.equals(k.getParent())) {
                out.add(k);
            }
        }
        return out;
    }

    private List<Path> knownUnder(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path k : known.keySet()) {
            if (k.startsWith(dir) && !k.equals(dir)) {
                out.add(k);
            }
        }
        return out;
    }

    /** Walks every root: registers directories, marks new, changed and vanished files. */
    private void rescanAll() {
        for (Path f : List.copyOf(rootFiles)) {
            if (Files.isDirectory(f)) { // a root that appeared as a directory
                rootFiles.remove(f);
                rootDirs.add(f);
            }
        }
        Set<Path> present = new TreeSet<>();
        for (Path root : rootDirs) {
            present.addAll(walk(root, root));
        }
        for (Path f : rootFiles) {
            register(parentOf(f));
            if (Files.isRegularFile(f)) {
                present.add(f);
                if (!unchanged(f)) {
                    markPending(f);
                }
            }
        }
        for (Path k : known.keySet()) {
            if (!present.contains(k)) {
                markPending(k);
            }
        }
        for (Map.Entry<Path, WatchKey> e : new ArrayList<>(watched.entrySet())) {
            if (!e.getValue().isValid() || !Files.isDirectory(e.getKey())) {
                e.getValue().cancel();
                watched.remove(e.getKey());
                aliases.values().forEach(set -> set.remove(e.getKey()));
            }
        }
    }

    private static Path parentOf(Path f) {
        Path parent = f.getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /** Registers and scans {@code dir} (below {@code root}) recursively; returns the manifest files found. */
    private Set<Path> walk(Path root, Path dir) {
        Set<Path> found = new TreeSet<>();
        try {
            Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                            if (!d.equals(root) && !FileFilter.isWatchedDirName(d.getFileName().toString())) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            register(d);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && FileFilter.accepts(root, f)) {
                                found.add(f);
                                if (!unchanged(f)) {
                                    markPending(f);
                                }
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path f, IOException e) {
                            if (!(e instanceof NoSuchFileException)) {
                                getContext().getLog().warn("cannot read {}: {}", f, e.toString());
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (NoSuchFileException e) {
            // the directory went away; its files are checked as vanished
        } catch (IOException e) {
            getContext().getLog().warn("cannot scan {}: {}", dir, e.toString());
        }
        return found;
    }

    private void register(Path dir) {
        if (watched.containsKey(dir)) {
            return;
        }
        try {
            WatchKey key = dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
            watched.put(dir, key);
            aliases.computeIfAbsent(fileKey(dir), k -> new HashSet<>()).add(dir);
        } catch (NoSuchFileException e) {
            // gone meanwhile
        } catch (ClosedWatchServiceException e) {
            // stopping
        } catch (IOException e) {
            getContext().getLog().warn("cannot watch {} (the periodic rescan still sees changes): {}", dir, e.toString());
        }
    }

    /** Whether size and mtime still match what was last read (cheap check used by rescans). */
    private boolean unchanged(Path f) {
        Observation k = known.get(f);
        if (k == null || pending.containsKey(f)) {
            return k != null;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return a.size() == k.size() && a.lastModifiedTime().toMillis() == k.mtime();
        } catch (IOException e) {
            return false;
        }
    }

    private void markPending(Path f) {
        if (!pending.containsKey(f)) {
            pending.put(f, new Pending());
        }
        ensureTicking();
    }

    private void ensureTicking() {
        if (!ticking) {
            ticking = true;
            timers.startTimerWithFixedDelay(Tick.SETTLE, Tick.SETTLE, settings.tick());
        }
    }

    // ---- settling and reading ----

    private Behavior<Command> onSettle() {
        long now = System.nanoTime();
        long settleNanos = settings.settle().toNanos();
        List<Path> done = new ArrayList<>();
        for (Map.Entry<Path, Pending> e : pending.entrySet()) {
            Path f = e.getKey();
            Pending p = e.getValue();
            byte[][] content = new byte[1][];
            Observation o = observe(f, content);
            if (p.last == null || !p.last.equals(o)) {
                p.last = o;
                p.stableSince = now;
                p.content = content[0];
                continue;
            }
            if (now - p.stableSince < settleNanos) {
                continue;
            }
            done.add(f);
            commit(f, o, p.content);
        }
        done.forEach(pending::remove);
        flush();
        checkSynced();
        if (pending.isEmpty() && outbox.isEmpty()) {
            timers.cancel(Tick.SETTLE);
            ticking = false;
        }
        return this;
    }

    private Observation observe(Path f, byte[][] content) {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return Observation.ABSENT;
            }
            if (a.size() > settings.maxFileBytes()) {
                return new Observation(true, a.size(), a.lastModifiedTime().toMillis(), "too-large");
            }
            byte[] bytes = Files.readAllBytes(f);
            content[0] = bytes;
            return new Observation(true, bytes.length, a.lastModifiedTime().toMillis(), sha256(bytes));
        } catch (NoSuchFileException e) {
            return Observation.ABSENT;
        } catch (IOException e) {
            if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                return Observation.ABSENT;
            }
            return new Observation(true, -2, -2, "unreadable: " + e.getMessage());
        }
    }

    private void commit(Path f, Observation o, byte[] content) {
        String origin = f.toString();
        Observation prev = known.get(f);
        if (!o.exists()) {
            if (prev != null) {
                known.remove(f);
                getContext().getLog().info("{} removed", origin);
                emit(origin, new SourceEvent.Removed(SOURCE, origin));
            }
            return;
        }
        known.put(f, o);
        if (prev != null && prev.hash() != null && prev.hash().equals(o.hash())) {
            return; // touched, not changed
        }
        ParseResult result;
        if (o.hash().equals("too-large")) {
            result = problem(origin, "file is larger than " + settings.maxFileBytes() + " bytes; not read");
        } else if (o.hash().startsWith("unreadable: ")) {
            result = problem(origin, "cannot read: " + o.hash().substring(12));
        } else {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(content)).toString();
                result = parser.parse(origin, text);
            } catch (CharacterCodingException e) {
                result = problem(origin, "not UTF-8 text");
            }
        }
        log(origin, prev == null, result);
        emit(origin, new SourceEvent.Upsert(SOURCE, origin, result));
    }

    private static ParseResult problem(String origin, String message) {
        return new ParseResult(List.of(), List.of(new ParseProblem(ParseProblem.Severity.ERROR, origin, 0, null, null,
                null, null, message)), List.of());
    }

    private void log(String origin, boolean created, ParseResult result) {
        var log = getContext().getLog();
        log.info("{} {}: {} objects{}", origin, created ? "read" : "changed", result.objects().size(),
                result.problems().isEmpty() ? "" : ", " + result.problems().size() + " problems");
        for (ParseProblem p : result.problems()) {
            if (p.severity() == ParseProblem.Severity.ERROR) {
                log.warn("{}", p.describe());
            } else {
                log.info("{}", p.describe());
            }
        }
        for (String s : result.skipped()) {
            log.debug("skipped {}", s);
        }
    }

    // ---- emitting ----

    private void emit(String key, SourceEvent e) {
        outbox.remove(key);
        outbox.put(key, e);
    }

    private void flush() {
        var it = outbox.entrySet().iterator();
        while (it.hasNext()) {
            if (!sink.offer(it.next().getValue())) {
                ensureTicking(); // intake full: try again on the next tick
                return;
            }
            it.remove();
        }
    }

    private void checkSynced() {
        if (syncing && pending.isEmpty()) {
            emitSynced();
        }
    }

    private void emitSynced() {
        syncing = false;
        timers.cancel(Tick.SYNC_DEADLINE);
        Set<String> origins = new TreeSet<>();
        known.keySet().forEach(p -> origins.add(p.toString()));
        emit("\u0000synced", new SourceEvent.Synced(SOURCE, origins));
        flush();
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
