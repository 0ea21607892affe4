package io.calsync.deploycheck;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Command-line tools that some checks use when the machine has them (kubectl, promtool); never required. */
final class Tools {

    private Tools() {}

    /** The executable of this name on the PATH, if there is one. */
    static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** What a finished command printed, and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        String output() {
            return stdout + stderr;
        }
    }

    /** Runs a command in the repository root, at most two minutes. */
    static Result run(List<String> command) {
        List<String> cmd = new ArrayList<>(command);
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(Repository.root().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            // Both streams read while the process runs, so that a full pipe never blocks it.
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p, true));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p, false));
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String drain(Process p, boolean stdout) {
        try {
            return new String(
                    (stdout ? p.getInputStream() : p.getErrorStream()).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
