package jcipa.tensor.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@code .pth} checkpoint that cannot be read safely: not a torch.save zip, a missing or
 * malformed record, a pickle that names a global outside the allowed set, or tensor geometry that
 * does not fit its storage. The message names the file and the problem.
 */
public final class TorchCheckpointException extends IOException {
    private final transient Path file;
    private final String problem;

    public TorchCheckpointException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public TorchCheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file that was read. */
    public Path file() {
        return file;
    }

    /** The problem alone, without the file name. */
    public String problem() {
        return problem;
    }
}
