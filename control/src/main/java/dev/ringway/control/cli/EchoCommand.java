package dev.ringway.control.cli;

import dev.ringway.io.echo.EchoIdentity;
import dev.ringway.io.echo.EchoRuntime;
import dev.ringway.io.echo.EchoTransport;
import dev.ringway.io.echo.HttpEchoConfig;
import dev.ringway.io.echo.HttpEchoServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ringway echo}: the HTTP echo backend of the Gateway API conformance suite
 * ({@code shared/conformance/ECHO.md} section 3): JSON echo of the request with the pod's identity,
 * {@code X-Echo-Set-Header}, {@code ?delay=}, {@code /status/NNN}, {@code /health}.
 */
@Command(name = "echo", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run an HTTP echo backend (the conformance suite's echo server).",
                "Each response is JSON naming the pod, namespace and service that answered."})
public final class EchoCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDR:PORT", required = true, converter = Options.HostPort.class,
            description = "address and port of the HTTP/1.1 listener")
    InetSocketAddress listen;

    @Option(names = "--pod", paramLabel = "NAME", required = true,
            description = "pod name reported (tests match it by prefix: <deployment>-<hash>-<suffix>)")
    String pod;

    @Option(names = "--namespace", paramLabel = "NS", required = true, description = "namespace reported")
    String namespace;

    @Option(names = "--service", paramLabel = "NAME", defaultValue = "", description = "service name reported")
    String service;

    @Option(names = "--h2c-port", paramLabel = "PORT",
            description = "also listen for cleartext HTTP/2 on this port (same address)")
    Integer h2cPort;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = "auto",
            description = "network transport (default: ${DEFAULT-VALUE})")
    String transport;

    @Option(names = {"-q", "--quiet"}, description = "do not log each request to standard output")
    boolean quiet;

    @Option(names = "--exit-after", paramLabel = "SECONDS", hidden = true, description = "stop after this long (tests)")
    Integer exitAfter;

    @Override
    public Integer call() throws Exception {
        EchoTransport t = transport(spec, transport);
        InetAddress address;
        try {
            address = InetAddress.getByName(listen.getHostString());
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--listen: unknown host " + listen.getHostString());
        }
        HttpEchoConfig.Builder b = HttpEchoConfig.builder(EchoIdentity.of(pod, namespace, service))
                .bindAddress(address)
                .httpPort(listen.getPort())
                .httpPortLabel(String.valueOf(listen.getPort()));
        if (h2cPort != null) {
            b.h2cPort(h2cPort);
        }
        if (quiet) {
            b.logSink(line -> { });
        }
        EchoRuntime runtime = EchoRuntime.create(t, 1);
        HttpEchoServer server;
        try {
            server = HttpEchoServer.start(runtime, b.build());
        } catch (IOException | RuntimeException e) {
            runtime.close();
            spec.commandLine().getErr().println("ringway: cannot listen on " + listen.getHostString() + ":"
                    + listen.getPort() + ": " + e.getMessage());
            return 1;
        }
        spec.commandLine().getErr().println("ringway echo: pod " + pod + " (" + namespace + ") on http://"
                + server.httpAddress().getHostString() + ":" + server.httpAddress().getPort()
                + server.h2cAddress().map(a -> ", h2c on port " + a.getPort()).orElse("")
                + " (" + t.name().toLowerCase(Locale.ROOT) + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            server.close();
            runtime.close();
            stopped.countDown();
        };
        if (exitAfter != null) {
            Thread.sleep(exitAfter * 1000L);
            stop.run();
            return 0;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "ringway-echo-shutdown"));
        stopped.await();
        return 0;
    }

    static EchoTransport transport(CommandLine.Model.CommandSpec spec, String name) {
        EchoTransport t = switch (name) {
            case "auto" -> EchoTransport.best();
            case "io_uring" -> EchoTransport.IO_URING;
            case "epoll" -> EchoTransport.EPOLL;
            case "nio" -> EchoTransport.NIO;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--transport " + name + ": expected auto, io_uring, epoll or nio");
        };
        if (!t.isAvailable()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--transport " + name + ": not available here");
        }
        return t;
    }
}
