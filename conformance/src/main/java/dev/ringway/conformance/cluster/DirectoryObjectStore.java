package dev.ringway.conformance.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringway.conformance.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One JSON file per object under {@code DIR/<namespace or _cluster>/<Kind>.<name>.json}, written atomically
 * (a dotfile {@code .<file>.tmp} renamed into place), deleted on delete.
 */
public final class DirectoryObjectStore implements ObjectStore {
    private final Path dir;

    public DirectoryObjectStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path fileOf(ObjectKey key) {
        String ns = key.namespace() == null ? "_cluster" : key.namespace();
        return dir.resolve(ns).resolve(key.kind() + "." + key.name() + ".json");
    }

    @Override
    public void put(JsonNode object) {
        Path file = fileOf(ObjectKey.of(object));
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(tmp, Json.writePretty(object) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public void delete(ObjectKey key) {
        try {
            Files.deleteIfExists(fileOf(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
