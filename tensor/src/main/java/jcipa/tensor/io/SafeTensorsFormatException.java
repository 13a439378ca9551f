package jcipa.tensor.io;

import java.nio.file.Path;

/** A safetensors file that breaks the format: bad header length, bad JSON, bad entry, bad offsets. */
public final class SafeTensorsFormatException extends WeightFileException {
    public SafeTensorsFormatException(Path file, String problem) { super(file, problem, null); }

    public SafeTensorsFormatException(Path file, String problem, Throwable cause) { super(file, problem, cause); }
}
