package dev.ringway.control.cli;

import dev.ringway.control.RingwayServer;
import dev.ringway.io.DataPlaneOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ringway run}: the gateway in standalone mode, configured by watched manifest files. */
@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run the gateway on manifest files (watched: changes apply without restart).",
                "Statuses, readiness, metrics and the served configuration are on the admin API."})
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "PATH", required = true, arity = "1..*",
            description = "manifest files or directories (recursive; *.yaml, *.yml, *.json)")
    List<Path> config;

    @Mixin
    Options.Translation translation = new Options.Translation();

    @Option(names = "--admin", paramLabel = "HOST:PORT", converter = Options.HostPort.class,
            defaultValue = "127.0.0.1:9901", description = "admin API address (default: ${DEFAULT-VALUE})")
    InetSocketAddress admin;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = "auto",
            description = "network transport (default: ${DEFAULT-VALUE}: io_uring, else epoll, else nio)")
    String transport;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "event loops (default: one per core)")
    int threads;

    @Option(names = "--access-log", paramLabel = "FILE|-", description = "write one line per request (- = stdout)")
    String accessLog;

    @Override
    public Integer call() throws Exception {
        RingwayServer.Config cfg = config(spec, config, translation, admin, transport, threads, accessLog);
        RingwayServer server;
        try {
            server = RingwayServer.start(cfg);
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("ringway: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ringway-shutdown"));
        server.awaitTermination();
        return 0;
    }

    static RingwayServer.Config config(CommandLine.Model.CommandSpec spec, List<Path> config,
                                       Options.Translation translation, InetSocketAddress admin, String transport,
                                       int threads, String accessLog) {
        for (Path p : config) {
            if (!Files.exists(p)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--config " + p + ": no such file or directory");
            }
        }
        if (!List.of("auto", "io_uring", "epoll", "nio").contains(transport)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--transport " + transport + ": expected auto, io_uring, epoll or nio");
        }
        if (threads < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be 0 (one per core) or more");
        }
        DataPlaneOptions dp = DataPlaneOptions.defaults().withTransport(transport).withEventLoops(threads)
                .withAccessLog(accessLog);
        return new RingwayServer.Config(config, translation.toTranslatorOptions(spec), admin, dp);
    }
}
