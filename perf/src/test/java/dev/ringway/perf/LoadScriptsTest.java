package dev.ringway.perf;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k6 scripts cannot run here (k6 is not installable), so CI checks that they are valid
 * JavaScript modules with node ({@code node --check}, as ES modules). Under {@code CI=true} a
 * missing node fails the test instead of skipping it; likewise the wrk Lua scripts are compiled with
 * luajit (what wrk embeds).
 */
class LoadScriptsTest {
    static final Path K6 = Path.of("k6");
    static final Path WRK = Path.of("wrk");

    static boolean have(String cmd) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + cmd).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
        return out;
    }

    @Test
    void k6ScriptsAreValidJavaScriptModules() throws Exception {
        boolean node = have("node");
        if (!node && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("node is needed to check the k6 scripts in CI");
        }
        Assumptions.assumeTrue(node, "node not installed");
        Path tmp = Files.createTempDirectory("k6-check");
        List<Path> scripts;
        try (Stream<Path> s = Files.list(K6)) {
            scripts = s.filter(p -> p.toString().endsWith(".js")).sorted().toList();
        }
        assertThat(scripts).hasSizeGreaterThanOrEqualTo(5);
        for (Path js : scripts) {
            Path mjs = tmp.resolve(js.getFileName().toString().replace(".js", ".mjs"));
            Files.copy(js, mjs);
            run(List.of("node", "--check", mjs.toString()));
            String text = Files.readString(js);
            if (!js.getFileName().toString().equals("common.js")) {
                assertThat(text).contains("export const options").contains("export default function");
            }
        }
    }

    /**
     * The peer and suite scripts need nginx, HAProxy and quiet cores, so CI does not run them; it
     * checks that they parse (bash -n, Python's own parser), which a broken edit would fail.
     */
    @Test
    void benchScriptsParse() throws Exception {
        List<Path> shells;
        List<Path> pythons;
        try (Stream<Path> s = Files.list(Path.of("bench"))) {
            List<Path> all = s.sorted().toList();
            shells = Stream.concat(all.stream().filter(p -> p.toString().endsWith(".sh")), Stream.of(Path.of("run-peers.sh")))
                    .toList();
            pythons = all.stream().filter(p -> p.toString().endsWith(".py")).toList();
        }
        assertThat(shells).contains(Path.of("bench/first-seconds.sh"), Path.of("bench/aot.sh"), Path.of("run-peers.sh"));
        assertThat(pythons).contains(Path.of("bench/suite.py"));
        for (Path sh : shells) {
            run(List.of("bash", "-n", sh.toString()));
        }
        for (Path py : pythons) {
            run(List.of("python3", "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])", py.toString()));
        }
    }

    @Test
    void wrkScriptsParseAsLua() throws Exception {
        String lua = have("luajit") ? "luajit" : have("luac") ? "luac" : null;
        if (lua == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("luajit is needed to check the wrk scripts in CI (.ci/run installs it)");
        }
        Assumptions.assumeTrue(lua != null, "no Lua compiler installed (wrk embeds LuaJIT)");
        try (Stream<Path> s = Files.list(WRK)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".lua")).toList()) {
                run(lua.equals("luajit") ? List.of("luajit", "-bl", p.toString(), "/dev/null") : List.of("luac", "-p", p.toString()));
            }
        }
    }
}
