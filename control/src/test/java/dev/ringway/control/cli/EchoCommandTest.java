package dev.ringway.control.cli;

import dev.ringway.control.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EchoCommandTest {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    CommandLine cl() {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    @Test
    void echoesWithTheGivenIdentity() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CommandLine cl = cl();
        AtomicInteger exit = new AtomicInteger(-1);
        int p = port;
        Thread t = Thread.ofPlatform().start(() -> exit.set(cl.execute("echo", "--listen", "127.0.0.1:" + p,
                "--pod", "infra-backend-v1-7d9f8c6b5-x2k4p", "--namespace", "gateway-conformance-infra",
                "--service", "infra-backend-v1", "--quiet", "--exit-after", "2")));
        await().atMost(Duration.ofSeconds(10)).until(() -> err.toString().contains("ringway echo: pod"));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("GET /hello?x=1 HTTP/1.1\r\nHost: example\r\nX-Echo-Set-Header: X-Foo:bar\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(resp).startsWith("HTTP/1.1 200")
                    .containsIgnoringCase("X-Foo: bar")
                    .contains("\"pod\": \"infra-backend-v1-7d9f8c6b5-x2k4p\"")
                    .contains("\"namespace\": \"gateway-conformance-infra\"")
                    .contains("\"path\": \"/hello?x=1\"")
                    .contains("\"httpPort\": \"" + port + "\"");
        }
        t.join(10_000);
        assertThat(exit.get()).isZero();
    }

    @Test
    void usageErrors() {
        assertThat(cl().execute("echo", "--listen", "127.0.0.1:3000", "--pod", "p")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--namespace=NS'");
    }
}
