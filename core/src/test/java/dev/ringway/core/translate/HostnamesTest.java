package dev.ringway.core.translate;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The listener/route hostname intersection examples of the HTTPRouteSpec.hostnames godoc. */
class HostnamesTest {
    static List<String> i(String listener, String... route) {
        return Hostnames.intersect(listener, List.of(route));
    }

    @Test
    void godocExamples() {
        // "A Listener with test.example.com as the hostname matches HTTPRoutes that have either not
        // specified any hostnames, or have specified at least one of test.example.com or *.example.com."
        assertThat(i("test.example.com")).containsExactly("test.example.com");
        assertThat(i("test.example.com", "test.example.com")).containsExactly("test.example.com");
        assertThat(i("test.example.com", "*.example.com")).containsExactly("test.example.com");
        assertThat(i("test.example.com", "other.example.com")).isEmpty();
        // "*.example.com, test.example.com, and foo.test.example.com would all match. On the other hand,
        // example.com and test.example.net would not match."
        assertThat(i("*.example.com", "*.example.com", "test.example.com", "foo.test.example.com", "example.com",
                "test.example.net")).containsExactly("*.example.com", "test.example.com", "foo.test.example.com");
        assertThat(i("*.example.com", "*.foo.example.com")).containsExactly("*.foo.example.com");
        assertThat(i("*.foo.example.com", "*.example.com")).containsExactly("*.foo.example.com");
        assertThat(i(null, "a.example.com", "*.b.example.com")).containsExactly("a.example.com", "*.b.example.com");
        assertThat(i(null)).isEqualTo(Arrays.asList((String) null));
    }

    @Test
    void validation() {
        assertThat(Hostnames.validate("foo.example.com")).isNull();
        assertThat(Hostnames.validate("*.example.com")).isNull();
        assertThat(Hostnames.validate("*")).isNotNull();
        assertThat(Hostnames.validate("10.0.0.1")).contains("IP");
        assertThat(Hostnames.validate("Foo.example.com")).isNotNull();
        assertThat(Hostnames.validate("foo.*.com")).isNotNull();
        assertThat(Hostnames.validate("-a.com")).isNotNull();
    }

    @Test
    void durations() {
        assertThat(Durations.parse("1h2m3s4ms").toMillis()).isEqualTo(3_723_004);
        assertThat(Durations.parse("500ms").toMillis()).isEqualTo(500);
        assertThat(Durations.parse("0s").isZero()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Durations.parse("1.5s")).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Durations.parse("100000s")).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Durations.parse("1d")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressPoolHandsOutLowestFree() {
        AddressPool p = AddressPool.parse("127.10.0.0/30");
        assertThat(p.firstFree(java.util.Set.of())).isEqualTo("127.10.0.1");
        assertThat(p.firstFree(java.util.Set.of("127.10.0.1"))).isEqualTo("127.10.0.2");
        assertThat(p.firstFree(java.util.Set.of("127.10.0.1", "127.10.0.2"))).isNull();
        assertThat(p.contains("127.10.0.3")).isFalse();
    }
}
