package dev.ringway.control.cli;

import dev.ringway.control.Main;
import dev.ringway.control.RingwayServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `ringway run` options that become data-plane options (parsed, validated, passed on). */
class RunCommandTest {
    @TempDir
    Path dir;

    RingwayServer.Config configOf(String... args) {
        CommandLine.ParseResult pr = Main.commandLine().parseArgs(args);
        RunCommand rc = pr.subcommand().commandSpec().commandLine().getCommand();
        return rc.serverConfig();
    }

    @Test
    void maxMirrorsInFlightReachesTheDataPlane() {
        assertThat(configOf("run", "--config", dir.toString()).dataPlane().upstream().maxMirrorsInFlight())
                .isEqualTo(256);
        assertThat(configOf("run", "--config", dir.toString(), "--max-mirrors-in-flight", "8").dataPlane().upstream()
                .maxMirrorsInFlight()).isEqualTo(8);
        assertThat(configOf("run", "--config", dir.toString(), "--max-mirrors-in-flight", "0").dataPlane().upstream()
                .maxMirrorsInFlight()).isZero();
    }

    @Test
    void aNegativeMirrorLimitIsAUsageErrorNamingTheOption() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int code = cl.execute("run", "--config", dir.toString(), "--max-mirrors-in-flight", "-1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--max-mirrors-in-flight must be 0 or more, was -1");
    }
}
