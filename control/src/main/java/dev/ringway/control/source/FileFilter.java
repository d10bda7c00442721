package dev.ringway.control.source;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Which files under a watched directory are manifests: {@code *.yaml}, {@code *.yml},
 * {@code *.json}; never dotfiles or files inside dot-directories (editor swap files,
 * {@code ..data} of Kubernetes volume mounts, {@code .git}), backups ({@code *~}), swap and temp
 * files ({@code *.swp}, {@code *.swx}, {@code *.tmp}, {@code #name#}). A file named explicitly
 * with {@code --config} is read whatever its name.
 */
public final class FileFilter {
    private FileFilter() {
    }

    public static boolean isManifestName(String name) {
        if (isIgnoredName(name)) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    /** Names never read nor descended into. */
    public static boolean isIgnoredName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.startsWith("#") || name.endsWith("~") || name.endsWith("#")) {
            return true;
        }
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".swp") || n.endsWith(".swx") || n.endsWith(".swo") || n.endsWith(".tmp")
                || n.endsWith(".bak") || n.endsWith(".part") || n.contains("___jb_");
    }

    /** Whether a directory below a watched root is descended into. */
    public static boolean isWatchedDirName(String name) {
        return !name.startsWith(".");
    }

    /** Whether {@code file} below {@code root} (a directory) is read: every part in between must be watched. */
    public static boolean accepts(Path root, Path file) {
        Path rel = root.relativize(file);
        int n = rel.getNameCount();
        if (n == 0 || rel.startsWith("..")) {
            return false;
        }
        for (int i = 0; i < n - 1; i++) {
            if (!isWatchedDirName(rel.getName(i).toString())) {
                return false;
            }
        }
        return isManifestName(rel.getName(n - 1).toString());
    }
}
