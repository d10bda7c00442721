package dev.ringway.k8s.sandbox;

import dev.ringway.control.cli.Options;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ringway sandbox-api}: the local stand-in API server (a test and demo tool, not a cluster). */
@Command(name = "sandbox-api", sortOptions = false,
        description = {"Run a local stand-in Kubernetes API server (in memory) for trying --kubernetes mode and",
                "kubectl without a cluster: Gateway API CRDs registered, status subresources, discovery.",
                "A test and demo tool, not a cluster: no auth, no validation, no controllers; objects are lost on exit."})
public final class SandboxApiCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = Options.HostPort.class,
            defaultValue = "127.0.0.1:6443", description = "address to listen on (default: ${DEFAULT-VALUE})")
    InetSocketAddress listen;

    @Option(names = "--kubeconfig-out", paramLabel = "FILE",
            description = "write a kubeconfig for this server here (for kubectl --kubeconfig and ringway run --kubeconfig)")
    Path kubeconfigOut;

    @Override
    public Integer call() throws Exception {
        SandboxApiServer api;
        try {
            api = SandboxApiServer.start(listen);
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("ringway: cannot start the sandbox API server on " + listen + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 1;
        }
        if (kubeconfigOut != null) {
            try {
                api.writeKubeconfig(kubeconfigOut);
            } catch (IOException e) {
                api.close();
                spec.commandLine().getErr().println("ringway: --kubeconfig-out " + kubeconfigOut + ": " + e.getMessage());
                return 1;
            }
        }
        var out = spec.commandLine().getOut();
        out.println("sandbox API server listening on " + api.url() + " (Gateway API CRDs registered)");
        if (kubeconfigOut != null) {
            out.println("kubeconfig written to " + kubeconfigOut + ":");
            out.println("  kubectl --kubeconfig " + kubeconfigOut + " get gateways -A");
            out.println("  ./ringway run --kubernetes --kubeconfig " + kubeconfigOut);
        }
        out.flush();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            done.countDown();
        }, "sandbox-api-shutdown"));
        done.await();
        return 0;
    }
}
