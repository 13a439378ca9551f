package jcipa.tensor.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Writes a file so that readers see either nothing (or the old file) or the complete new file.
 *
 * <p>The content goes to a hidden temporary file in the target's folder, is forced to disk, and
 * is then renamed onto the target atomically. Without overwrite the rename is a hard link, which
 * fails if the target exists (no check-then-act race); on file systems without hard links it falls
 * back to a check followed by an atomic move. A failure deletes the temporary file; only a crash
 * of the JVM itself can leave one behind, never a partial target.
 */
final class AtomicFile {
    private AtomicFile() {}

    interface Body {
        void writeTo(FileChannel out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    static void write(Path target, boolean overwrite, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (!overwrite && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(abs.toString(), null, "already exists (use write(path, true) to replace it)");
        }
        byte[] salt = new byte[8];
        RANDOM.nextBytes(salt);
        Path tmp = dir.resolve("." + abs.getFileName() + "." + HexFormat.of().formatHex(salt) + ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.writeTo(ch);
                ch.force(true);
            }
            if (overwrite) {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } else {
                publishNoClobber(tmp, abs);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
        syncFolder(dir);
    }

    private static void publishNoClobber(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists (use write(path, true) to replace it)");
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString(), null, "already exists (use write(path, true) to replace it)");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Files.delete(tmp);
    }

    /** Makes the rename durable where the platform allows opening a folder (POSIX); else a no-op. */
    private static void syncFolder(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Windows cannot open a folder as a channel; the rename is still atomic there.
        }
    }
}
