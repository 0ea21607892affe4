package io.calsync.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * zonky's cache of unpacked PostgreSQL binaries: one {@code PG-<digest>} folder per binaries archive, marked complete
 * by an {@code .exists} file that zonky writes only after the whole archive is unpacked, while it holds a file lock on
 * {@code .lock} in that folder.
 *
 * <p>zonky itself re-unpacks a folder without the marker straight over what is there, and fails on the first link
 * that a killed earlier unpack already made ({@code FileAlreadyExistsException}). So a folder without the marker whose
 * lock nobody holds is the remains of a failed unpack: {@link #repair} removes it, and the next start unpacks afresh.
 * A folder whose lock is held belongs to an unpack still running in another process and is left alone (zonky waits
 * for it).
 */
public final class PostgresBinaryCache {

    /** Where {@code ./run} and the tests keep the binaries unless told otherwise: zonky's own default. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
    }

    private PostgresBinaryCache() {}

    /** Removes every partly unpacked binaries folder under {@code directory}; answers the folders removed. */
    public static List<Path> repair(Path directory) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return removed;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(directory, "PG-*")) {
            for (Path folder : folders) {
                if (Files.isDirectory(folder) && !Files.exists(folder.resolve(".exists")) && removeIfUnlocked(folder)) {
                    removed.add(folder);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the PostgreSQL binaries cache " + directory, e);
        }
        return removed;
    }

    private static boolean removeIfUnlocked(Path folder) throws IOException {
        Path lockFile = folder.resolve(".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return false; // this JVM is unpacking it right now
            }
            if (lock == null) {
                return false; // another process is unpacking it right now
            }
            try (lock) {
                // Re-checked under the lock: the unpack that held it may have finished in between.
                if (Files.exists(folder.resolve(".exists"))) {
                    return false;
                }
                deleteContents(folder, lockFile);
            }
        }
        Files.deleteIfExists(lockFile);
        Files.deleteIfExists(folder);
        return true;
    }

    /** Everything below {@code folder} but the lock file we hold; links are removed, never followed. */
    private static void deleteContents(Path folder, Path keep) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(folder) && !p.equals(keep)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
