package dev.ringway.k8s;

import dev.ringway.control.spi.CliExtension;
import dev.ringway.control.spi.ConfigSource;
import dev.ringway.k8s.sandbox.SandboxApiCommand;

import java.util.List;

/** Plugs the Kubernetes mode into the {@code ringway} CLI: {@code run --kubernetes} and {@code sandbox-api}. */
public final class RingwayKubernetesExtension implements CliExtension {
    @Override
    public List<Object> subcommands() {
        return List.of(new SandboxApiCommand());
    }

    @Override
    public boolean providesKubernetes() {
        return true;
    }

    @Override
    public ConfigSource kubernetes(KubernetesOptions options) {
        return KubernetesConfigSource.create(KubernetesSettings.from(options));
    }
}
