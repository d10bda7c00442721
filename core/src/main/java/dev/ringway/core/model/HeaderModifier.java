package dev.ringway.core.model;

import java.util.List;

/** {@code requestHeaderModifier} / {@code responseHeaderModifier}: add, set and remove. */
public record HeaderModifier(List<Header> add, List<Header> set, List<String> remove) {
    public HeaderModifier {
        add = Lists.copy(add);
        set = Lists.copy(set);
        remove = Lists.copy(remove);
    }

    public record Header(String name, String value) {
    }
}
