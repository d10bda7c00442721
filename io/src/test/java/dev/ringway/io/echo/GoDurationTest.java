package dev.ringway.io.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cases from Go's {@code time.ParseDuration} tests. */
class GoDurationTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0", "5s|5000000000", "30s|30000000000", "1478s|1478000000000", "-5s|-5000000000", "+5s|5000000000",
        "-0|0", "+0|0", "5.0s|5000000000", "5.6s|5600000000", "5.s|5000000000", ".5s|500000000",
        "1.0s|1000000000", "1.00s|1000000000", "1.004s|1004000000", "1.0040s|1004000000",
        "100.00100s|100001000000", "10ns|10", "11us|11000", "12\u00b5s|12000", "12\u03bcs|12000", "13ms|13000000",
        "14s|14000000000", "15m|900000000000", "16h|57600000000000", "3h30m|12600000000000",
        "10.5s4m|250500000000", "-2m3.4s|-123400000000", "1h2m3s4ms5us6ns|3723004005006",
        "39h9m14.425s|140954425000000", "52763797000ns|52763797000", "0.3333333333333333333h|1200000000000",
        "9007199254740993ns|9007199254740993", "9223372036854775807ns|9223372036854775807",
        "9223372036854775.807us|9223372036854775807", "9223372036s854ms775us807ns|9223372036854775807",
        "-9223372036854775808ns|-9223372036854775808", "-9223372036854775807ns|-9223372036854775807",
        "0.100000000000000000000h|360000000000", "0.830103483285477580700h|2988372539827",
        "500ms|500000000", "1m|60000000000", "1.5s|1500000000"
    })
    void parses(String text, long nanos) throws Exception {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "\u0085\u0085", "\u00ffff", "hello \u00ffff world",
        "9223372036854775808ns", "9223372036854775.808us", "9223372036s854ms775us808ns", "-9223372036854775809ns",
        "1s-2s", "abc"
    })
    void rejects(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(GoDuration.InvalidDurationException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "abc|time: invalid duration \"abc\"",
        "10|time: missing unit in duration \"10\"",
        "1d|time: unknown unit \"d\" in duration \"1d\"",
        "5s3|time: missing unit in duration \"5s3\""
    })
    void goErrorMessages(String text, String message) {
        assertThatThrownBy(() -> GoDuration.parse(text)).hasMessage(message);
    }
}
