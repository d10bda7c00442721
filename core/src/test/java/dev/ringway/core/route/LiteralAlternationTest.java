package dev.ringway.core.route;

import com.google.re2j.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LiteralAlternationTest {
    @ParameterizedTest
    @ValueSource(strings = {"^(premium|enterprise)$", "premium|enterprise", "(?:premium|enterprise)", "^premium$",
            "a.b", "^(a|b)+$", "x[yz]", "(a)|(b)", "a\\|b", "", "^$", "abc|", "prem(ium|x)"})
    void setLookupAgreesWithRe2(String re) {
        Pattern p = Pattern.compile(re);
        Set<String> lit = LiteralAlternation.of(re);
        for (String v : List.of("premium", "enterprise", "premiumx", "a.b", "axb", "a", "b", "ab", "", "abc", "x",
                "xy", "a|b", "prem", "premx")) {
            if (lit != null) {
                assertThat(lit.contains(v)).as("%s on %s", re, v).isEqualTo(p.matches(v));
            }
        }
        if (re.equals("^(premium|enterprise)$")) {
            assertThat(lit).containsExactlyInAnyOrder("premium", "enterprise");
        }
        if (re.equals("a.b") || re.equals("x[yz]") || re.equals("(a)|(b)") || re.equals("a\\|b")) {
            assertThat(lit).isNull();
        }
    }
}
