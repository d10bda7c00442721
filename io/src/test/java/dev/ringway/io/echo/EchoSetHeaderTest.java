package dev.ringway.io.echo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code X-Echo-Set-Header} as ECHO.md section 3 describes it. */
class EchoSetHeaderTest {

    @Test
    void emptyValueAddsNothing() {
        assertThat(HttpEchoService.echoSetHeaders(List.of(""))).isEmpty();
        assertThat(HttpEchoService.echoSetHeaders(List.of())).isEmpty();
    }

    @Test
    void pairsAreTrimmedAndSplitAtTheFirstColon() {
        assertThat(HttpEchoService.echoSetHeaders(List.of("  X-Foo: bar  ,Set-Cookie:a=b:c")))
                .containsExactly(Map.entry("X-Foo", " bar"), Map.entry("Set-Cookie", "a=b:c"));
    }

    @Test
    void repeatedNamesAppendTrimmedValues() {
        assertThat(HttpEchoService.echoSetHeaders(List.of("X-Foo:one, X-Foo: two", "X-Foo:three")))
                .containsExactly(Map.entry("X-Foo", "one,two,three"));
        // names are matched with their casing, as Go's header map is indexed directly
        assertThat(HttpEchoService.echoSetHeaders(List.of("X-A:1,x-a:2")))
                .containsExactly(Map.entry("X-A", "1"), Map.entry("x-a", "2"));
    }

    @Test
    void invalidAndFramingNamesAreDropped() {
        assertThat(HttpEchoService.echoSetHeaders(List.of(":v,bad name:v,Content-Length:5,connection:close,Ok")))
                .containsExactly(Map.entry("Ok", ""));
    }
}
