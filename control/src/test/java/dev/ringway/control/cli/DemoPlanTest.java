package dev.ringway.control.cli;

import dev.ringway.core.model.Resource;
import dev.ringway.core.parse.ManifestParser;
import dev.ringway.core.parse.ParsedObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoPlanTest {
    static List<Resource> quickstart() throws IOException {
        Path dir = Path.of(System.getProperty("ringway.root", "..")).resolve("examples/quickstart");
        List<Resource> out = new ArrayList<>();
        ManifestParser parser = ManifestParser.create();
        for (Path f : ValidateCommand.manifestFiles(dir)) {
            parser.parse(f).objects().stream().map(ParsedObject::resource).forEach(out::add);
        }
        return out;
    }

    @Test
    void quickstartBackendsAndCurlCommands() throws IOException {
        DemoPlan plan = DemoPlan.from(quickstart(), "127.0.0.1");
        assertThat(plan.backends()).isNotEmpty().allSatisfy(b -> {
            assertThat(b.ip()).startsWith("127.");
            assertThat(b.pod()).startsWith(b.service() + "-");
            assertThat(b.namespace()).isEqualTo("api-team");
        });
        assertThat(plan.backends()).extracting(DemoPlan.Backend::ip).doesNotHaveDuplicates();
        assertThat(plan.examples()).anySatisfy(e -> {
            assertThat(e.command()).isEqualTo("curl -s -H 'Host: api.example.com' 'http://127.0.0.1:8080/health'; echo");
            assertThat(e.expect()).isEqualTo("OK from health-service");
        });
        assertThat(plan.examples()).anySatisfy(e -> {
            assertThat(e.command()).startsWith("for i in $(seq 50); do curl -s -H 'Host: api.example.com' "
                    + "'http://127.0.0.1:8080/api'");
            assertThat(e.expect()).isEqualTo("api-stable 90%, api-canary 10%");
        });
        assertThat(plan.examples()).anySatisfy(e -> assertThat(e.command()).contains("-H 'X-User-Tier: premium'"));
        assertThat(plan.examples()).anySatisfy(e -> assertThat(e.command()).contains("?version=beta"));
    }

    @Test
    void regexSamples() {
        assertThat(DemoPlan.sample("^(premium|enterprise)$", "?")).isEqualTo("premium");
        assertThat(DemoPlan.sample("^v2$", "?")).isEqualTo("v2");
        assertThat(DemoPlan.sample("/api/v[0-9]+", "?")).isEqualTo("?");
    }
}
