package dev.ringway.control.cli;

import dev.ringway.control.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void startsBackendsAndGatewayAndPrintsCurlCommands() throws Exception {
        Path quickstart = Path.of(System.getProperty("ringway.root", "..")).resolve("examples/quickstart");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        for (Path f : ValidateCommand.manifestFiles(quickstart)) {
            String text = Files.readString(f);
            if (f.getFileName().toString().equals("00-gateway.yaml")) {
                text = text.replace("port: 8080", "port: " + port);
            }
            Files.writeString(dir.resolve(f.getFileName()), text);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread t = Thread.ofPlatform().start(() -> exit.set(cl.execute("demo", "--dir", dir.toString(),
                "--admin", "127.0.0.1:0", "--exit-after", "3")));
        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("Ctrl-C stops the demo."));
        assertThat(out.toString())
                .contains("13 echo backends")
                .contains("curl -s -H 'Host: api.example.com' -H 'X-API-Version: 2' 'http://127.0.0.1:" + port + "/api/v2'")
                .contains("->  api-stable 90%, api-canary 10%");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("GET /api/v2 HTTP/1.1\r\nHost: api.example.com\r\nX-API-Version: 2\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(resp).startsWith("HTTP/1.1 200").contains("\"pod\": \"api-v2-7d9f8c6b5-demo1\"");
        }
        t.join(20_000);
        assertThat(exit.get()).isZero();
    }

    @Test
    void backendsOnlyStartsTheEchoServersWithoutAGateway() throws Exception {
        Path quickstart = Path.of(System.getProperty("ringway.root", "..")).resolve("examples/quickstart");
        for (Path f : ValidateCommand.manifestFiles(quickstart)) {
            Files.writeString(dir.resolve(f.getFileName()), Files.readString(f).replace("127.0.1.", "127.0.74."));
        }
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread t = Thread.ofPlatform().start(() -> exit.set(cl.execute("demo", "--dir", dir.toString(),
                "--backends-only", "--exit-after", "3")));
        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("no gateway"));
        assertThat(out.toString()).contains("13 echo backends");
        try (Socket s = new Socket("127.0.74.2", 3000)) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(resp).startsWith("HTTP/1.1 200").contains("\"pod\": \"api-v2-7d9f8c6b5-demo1\"");
        }
        t.join(20_000);
        assertThat(exit.get()).isZero();
    }
}
