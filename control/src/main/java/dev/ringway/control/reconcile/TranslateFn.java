package dev.ringway.control.reconcile;

import dev.ringway.core.model.Resource;
import dev.ringway.core.translate.BindFeedback;
import dev.ringway.core.translate.Translation;
import dev.ringway.core.translate.Translator;

import java.util.List;

/** The translation the control plane runs: {@link Translator#translate} (tests substitute their own). */
@FunctionalInterface
public interface TranslateFn {
    Translation translate(List<Resource> resources, BindFeedback feedback);

    static TranslateFn of(Translator translator) {
        return translator::translate;
    }
}
