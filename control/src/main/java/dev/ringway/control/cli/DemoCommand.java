package dev.ringway.control.cli;

import dev.ringway.control.Main;
import dev.ringway.control.RingwayServer;
import dev.ringway.core.model.Resource;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParsedObject;
import dev.ringway.core.translate.TranslatorOptions;
import dev.ringway.io.DataPlaneOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ringway demo}: starts one echo backend per EndpointSlice endpoint of the example manifests
 * (on the loopback addresses they name), the gateway on the same manifests, and prints a curl
 * command for every route rule with the backend it should reach.
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run the gateway on examples/quickstart with echo backends, and print curl commands.",
                "The manifests are watched: edit them while the demo runs."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "manifests to run (default: examples/quickstart of this checkout)")
    Path dir;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "address the gateway listens on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--admin", paramLabel = "HOST:PORT", converter = Options.HostPort.class,
            defaultValue = "127.0.0.1:9901", description = "admin API address (default: ${DEFAULT-VALUE})")
    InetSocketAddress admin;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = "auto",
            description = "network transport (default: ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--backends-only", description = "start only the echo backends (for a gateway run elsewhere, "
            + "e.g. run --kubernetes on these manifests applied with kubectl)")
    boolean backendsOnly;

    @Option(names = "--exit-after", paramLabel = "SECONDS", hidden = true,
            description = "stop after this many seconds (tests)")
    Integer exitAfter;

    @Override
    public Integer call() throws Exception {
        Path manifests = dir != null ? dir : locate();
        if (manifests == null || !Files.isDirectory(manifests)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot find examples/quickstart; run from the "
                    + "repository root or give --dir");
        }
        List<Resource> resources = new ArrayList<>();
        ManifestParser parser = ManifestParser.create();
        for (Path f : ValidateCommand.manifestFiles(manifests)) {
            parser.parse(f).objects().stream().map(ParsedObject::resource).forEach(resources::add);
        }
        String curlIp = bind.equals("0.0.0.0") ? "127.0.0.1" : bind.equals("::") ? "[::1]" : bind;
        DemoPlan plan = DemoPlan.from(resources, curlIp);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        EchoBackends backends;
        try {
            backends = EchoBackends.start(plan.backends());
        } catch (IOException e) {
            err.println("ringway: " + e.getMessage());
            return 1;
        }
        if (backendsOnly) {
            out.println("Ringway demo: " + backends.size() + " echo backends for " + manifests
                    + " (their EndpointSlices' addresses); no gateway. Ctrl-C stops them.");
            out.flush();
            if (exitAfter != null) {
                Thread.sleep(exitAfter * 1000L);
                backends.close();
                return 0;
            }
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                backends.close();
                done.countDown();
            }, "ringway-demo-shutdown"));
            done.await();
            return 0;
        }
        RingwayServer server;
        try {
            server = RingwayServer.start(new RingwayServer.Config(List.of(manifests),
                    new TranslatorOptions(TranslatorOptions.DEFAULT_CONTROLLER_NAME,
                            new TranslatorOptions.AddressPolicy.Bind(bind)),
                    admin, DataPlaneOptions.defaults().withTransport(transport).withDrain(Duration.ofSeconds(2))));
        } catch (IOException | RuntimeException e) {
            backends.close();
            err.println("ringway: " + e.getMessage());
            return 1;
        }
        Runnable stop = () -> {
            server.close();
            backends.close();
        };
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!server.controlPlane().metrics().ready() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        int adminPort = server.adminAddress().getPort();
        out.println();
        out.println("Ringway demo: " + backends.size() + " echo backends, the gateway on " + manifests
                + " (edit the files: changes apply live)");
        out.println("Admin API: http://" + admin.getHostString() + ":" + adminPort + "/status  /config_dump  /metrics");
        out.println();
        for (DemoPlan.Example e : plan.examples()) {
            out.println("# " + e.title() + "  ->  " + e.expect());
            out.println(e.command());
            out.println();
        }
        var published = server.controlPlane().metrics().lastPublished();
        if (published == null) {
            err.println("warning: the gateway is not ready yet (see the log above)");
        } else {
            published.bindFailures().forEach((addr, why) ->
                    err.println("warning: the gateway cannot listen on " + addr + ": " + why));
        }
        out.println("Ctrl-C stops the demo.");
        out.flush();
        if (exitAfter != null) {
            Thread.sleep(exitAfter * 1000L);
            stop.run();
            return 0;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "ringway-demo-shutdown"));
        server.awaitTermination();
        return 0;
    }

    /** examples/quickstart in the working directory, or in the checkout the jar was built in. */
    static Path locate() {
        Path cwd = Path.of("examples", "quickstart");
        if (Files.isDirectory(cwd)) {
            return cwd;
        }
        try {
            // control/target/ringway-control.jar, control/target/classes or k8s-source/target/lib/ringway-control-*.jar:
            // the repository root is a few levels up
            Path dir = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
            for (int i = 0; dir != null && i < 5; i++, dir = dir.getParent()) {
                Path p = dir.resolve("examples").resolve("quickstart");
                if (Files.isDirectory(p)) {
                    return p;
                }
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }
}
