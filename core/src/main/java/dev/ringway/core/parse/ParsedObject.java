package dev.ringway.core.parse;

import dev.ringway.core.model.Resource;

/** An object read from a source, with where it came from (file and document index, 1-based). */
public record ParsedObject(Resource resource, String source, int document) {
}
