package dev.ringway.io.echo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void escapesLikeGo() {
        assertThat(Json.compact("q\" b\\ \n\r\t \u0001 <>& \u2028 \u00e9"))
                .isEqualTo("\"q\\\" b\\\\ \\n\\r\\t \\u0001 \\u003c\\u003e\\u0026 \\u2028 \u00e9\"");
    }

    @Test
    void indentsLikeGoMarshalIndentWithOneSpace() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("path", "/");
        value.put("headers", Map.of("A", List.of("1", "2")));
        value.put("empty", Map.of());
        value.put("none", List.of());
        value.put("flag", true);
        assertThat(Json.indented(value)).isEqualTo("""
                {
                 "path": "/",
                 "headers": {
                  "A": [
                   "1",
                   "2"
                  ]
                 },
                 "empty": {},
                 "none": [],
                 "flag": true
                }""");
        assertThat(Json.compact(value))
                .isEqualTo("{\"path\":\"/\",\"headers\":{\"A\":[\"1\",\"2\"]},\"empty\":{},\"none\":[],\"flag\":true}");
    }

    @Test
    void outputParses() throws Exception {
        String control = "x" + (char) 0 + (char) 31 + "\ud83d\ude00";
        Object parsed = new ObjectMapper().readValue(Json.indented(Map.of("k", List.of(control))), Object.class);
        assertThat(parsed).isEqualTo(Map.of("k", List.of(control)));
    }
}
