package dev.ringway.control.cli;

import dev.ringway.io.echo.EchoIdentity;
import dev.ringway.io.echo.EchoRuntime;
import dev.ringway.io.echo.HttpEchoConfig;
import dev.ringway.io.echo.HttpEchoServer;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** The echo servers of a demo plan: one HTTP echo per endpoint, sharing one event loop group. */
public final class EchoBackends implements AutoCloseable {
    private final EchoRuntime runtime;
    private final List<HttpEchoServer> servers;

    private EchoBackends(EchoRuntime runtime, List<HttpEchoServer> servers) {
        this.runtime = runtime;
        this.servers = servers;
    }

    /** Starts every backend; fails (closing those started) naming the one that could not bind. */
    public static EchoBackends start(List<DemoPlan.Backend> backends) throws IOException {
        EchoRuntime runtime = EchoRuntime.nio();
        List<HttpEchoServer> servers = new ArrayList<>();
        try {
            for (DemoPlan.Backend b : backends) {
                HttpEchoConfig cfg = HttpEchoConfig.builder(EchoIdentity.of(b.pod(), b.namespace(), b.service()))
                        .bindAddress(InetAddress.ofLiteral(b.ip()))
                        .httpPort(b.port())
                        .httpPortLabel(String.valueOf(b.port()))
                        .logSink(line -> { })
                        .build();
                try {
                    servers.add(HttpEchoServer.start(runtime, cfg));
                } catch (IOException | RuntimeException e) {
                    throw new IOException("cannot start echo backend " + b.pod() + " on " + b.ip() + ":" + b.port()
                            + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            servers.forEach(HttpEchoServer::close);
            runtime.close();
            throw e;
        }
        return new EchoBackends(runtime, servers);
    }

    public int size() {
        return servers.size();
    }

    @Override
    public void close() {
        servers.forEach(HttpEchoServer::close);
        runtime.close();
    }
}
