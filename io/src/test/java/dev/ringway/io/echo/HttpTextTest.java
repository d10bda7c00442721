package dev.ringway.io.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x-echo-set-header|X-Echo-Set-Header", "USER-AGENT|User-Agent", "user-agent|User-Agent",
        "X-Forwarded-For|X-Forwarded-For", "a1-b2|A1-B2", "x_y|X_y", "foo bar|foo bar", "content-md5|Content-Md5",
        "-x|-X", "x--y|X--Y"
    })
    void canonicalHeaderNamesAsGo(String name, String canonical) {
        assertThat(HttpText.canonicalHeaderName(name)).isEqualTo(canonical);
    }

    @Test
    void formValuesAsGoParseQuery() {
        assertThat(HttpText.formValue("delay=1s&x=2", "delay")).contains("1s");
        assertThat(HttpText.formValue("a=1&delay=%31s", "delay")).contains("1s");
        assertThat(HttpText.formValue("delay=a+b", "delay")).contains("a b");
        assertThat(HttpText.formValue("x;y=1&delay=2s", "delay")).contains("2s");
        assertThat(HttpText.formValue("delay;=1s", "delay")).isEmpty();
        assertThat(HttpText.formValue("delay=%zz&delay=3s", "delay")).contains("3s");
        assertThat(HttpText.formValue("delay", "delay")).contains("");
        assertThat(HttpText.formValue("de%6Cay=4s", "delay")).contains("4s");
        assertThat(HttpText.formValue("", "delay")).isEmpty();
        assertThat(HttpText.formValue("&&delay=5s&", "delay")).contains("5s");
        String microseconds = new String("delay=12\u00b5s".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertThat(HttpText.formValue(microseconds, "delay")).contains("12\u00b5s");
    }

    @Test
    void wireToUtf8() {
        String wire = new String("gr\u00fc\u00df".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertThat(HttpText.wireToUtf8(wire)).isEqualTo("gr\u00fc\u00df");
        assertThat(HttpText.wireToUtf8("\u00ff")).isEqualTo("\ufffd");
        assertThat(HttpText.wireToUtf8("plain")).isEqualTo("plain");
    }

    @Test
    void routingPath() {
        assertThat(HttpEchoService.routingPath("/a//b?x=//")).contains("/a/b");
        assertThat(HttpEchoService.routingPath("///health")).contains("/health");
        assertThat(HttpEchoService.routingPath("/%68ealth")).contains("/health");
        assertThat(HttpEchoService.routingPath("/a+b")).contains("/a+b");
        assertThat(HttpEchoService.routingPath("http://host:8080/x//y?q")).contains("/x/y");
        assertThat(HttpEchoService.routingPath("http://host?q")).contains("/");
        assertThat(HttpEchoService.routingPath("*")).contains("*");
        assertThat(HttpEchoService.routingPath("/%zz")).isEmpty();
        assertThat(HttpEchoService.routingPath("nonsense")).isEmpty();
    }
}
