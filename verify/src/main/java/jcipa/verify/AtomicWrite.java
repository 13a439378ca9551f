package jcipa.verify;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that it appears whole or not at all: the bytes go to a hidden temporary file
 * beside the target, which is then hard-linked (no overwrite: fails if the target exists) or
 * atomically renamed (overwrite) onto it. A failure deletes the temporary file.
 */
final class AtomicWrite {
    private AtomicWrite() {}

    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Throws FileAlreadyExistsException if {@code target} exists and {@code overwrite} is off. */
    static void refuseExisting(Path target, boolean overwrite) throws FileAlreadyExistsException {
        if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS))
            throw new FileAlreadyExistsException(target.toString(), null, "already exists (pass --overwrite to replace it)");
    }

    static void write(Path target, boolean overwrite, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        refuseExisting(abs, overwrite);
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.WRITE), 1 << 20)) {
                body.writeTo(out);
            }
            if (overwrite) {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                try {
                    Files.createLink(abs, tmp);     // fails if the target appeared meanwhile
                } catch (UnsupportedOperationException e) {
                    refuseExisting(abs, false);
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
