package io.calsync.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared corpus of real-world ICS files and provider payloads: {@code shared/corpus} beside the repository
 * (CI clones the repository next to {@code shared/}). Tests read it from there; it is never copied in.
 */
public final class Corpus {

    private Corpus() {}

    /** {@code shared/corpus}, found by walking up from the working directory; fails clearly when it is absent. */
    public static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared").resolve("corpus");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/corpus not found beside the repository (looked upward from " + dir
                + "); the corpus tests need the repository cloned next to the shared/ folder");
    }
}
