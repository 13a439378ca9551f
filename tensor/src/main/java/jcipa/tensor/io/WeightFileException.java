package jcipa.tensor.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A weight or tensor file that cannot be read safely. The message is {@code "<file>: <problem>"};
 * {@link #file()} and {@link #problem()} give the parts.
 */
public abstract class WeightFileException extends IOException {
    private final transient Path file;
    private final String problem;

    protected WeightFileException(Path file, String problem, Throwable cause) {
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
