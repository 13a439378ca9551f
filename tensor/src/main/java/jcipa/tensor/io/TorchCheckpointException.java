package jcipa.tensor.io;

import java.nio.file.Path;

/**
 * A {@code .pth} checkpoint that cannot be read safely: not a torch.save zip, a missing or
 * malformed record, a pickle that names a global outside the allowed set, or tensor geometry that
 * does not fit its storage.
 */
public final class TorchCheckpointException extends WeightFileException {
    public TorchCheckpointException(Path file, String problem) { super(file, problem, null); }

    public TorchCheckpointException(Path file, String problem, Throwable cause) { super(file, problem, cause); }
}
