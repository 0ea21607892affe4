package io.calsync.localinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinaryCacheTest {

    @TempDir
    Path cache;

    @Test
    void removesAFolderWhoseUnpackDiedHalfWayLinksIncluded() throws IOException {
        Path partial = half(cache.resolve("PG-0123abcd"));

        assertThat(PostgresBinaryCache.repair(cache)).containsExactly(partial);

        assertThat(partial).doesNotExist();
    }

    @Test
    void keepsACompleteFolder() throws IOException {
        Path complete = half(cache.resolve("PG-complete"));
        Files.createFile(complete.resolve(".exists"));

        assertThat(PostgresBinaryCache.repair(cache)).isEmpty();

        assertThat(complete.resolve("lib/libicuuc.so")).exists();
    }

    @Test
    void leavesAFolderAloneWhileItsUnpackHoldsTheLock() throws IOException {
        Path unpacking = half(cache.resolve("PG-unpacking"));
        try (FileChannel channel = FileChannel.open(
                        unpacking.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            assertThat(held.isValid()).isTrue();
            assertThat(PostgresBinaryCache.repair(cache)).isEmpty();
        }
        assertThat(unpacking.resolve("bin/postgres")).exists();
        assertThat(PostgresBinaryCache.repair(cache)).containsExactly(unpacking);
    }

    @Test
    void ignoresWhatIsNotABinariesFolderAndAMissingCache() throws IOException {
        Path other = Files.createDirectories(cache.resolve("not-pg"));
        assertThat(PostgresBinaryCache.repair(cache)).isEmpty();
        assertThat(other).exists();
        assertThat(PostgresBinaryCache.repair(cache.resolve("absent"))).isEmpty();
    }

    @Test
    void aReasonIsOneLineWithTheInnermostCause() {
        String reason = EmbeddedPostgresMain.reason(
                new IllegalStateException("Process [initdb]\nfailed", new IOException("disk\nfull")));
        assertThat(reason)
                .doesNotContain("\n")
                .contains("IllegalStateException: Process [initdb] failed")
                .contains("cause: IOException: disk full");
        assertThat(EmbeddedPostgresMain.reason(new OutOfMemoryError("Java heap space")))
                .startsWith("out of memory (Java heap space)");
    }

    /** What a killed unpack leaves: some files, a link, no {@code .exists}. */
    private static Path half(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("lib"));
        Files.createDirectories(folder.resolve("bin"));
        Files.writeString(folder.resolve("bin/postgres"), "binary");
        Files.writeString(folder.resolve("lib/libicuuc.so.72"), "library");
        Files.createSymbolicLink(folder.resolve("lib/libicuuc.so"), Path.of("libicuuc.so.72"));
        Files.createSymbolicLink(folder.resolve("lib/dangling.so"), Path.of("missing.so"));
        return folder;
    }
}
