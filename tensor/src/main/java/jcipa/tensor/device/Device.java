package jcipa.tensor.device;

import java.util.Locale;

/** Where the heavy kernels run: the CPU (the default, and the reference) or an NVIDIA GPU through CUDA. */
public enum Device {
    CPU, CUDA;

    /** "cpu" or "cuda" (any case). */
    public static Device parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "cpu" -> CPU;
            case "cuda", "gpu" -> CUDA;
            default -> throw new IllegalArgumentException("unknown device '" + name + "' (cpu or cuda)");
        };
    }

    @Override public String toString() { return name().toLowerCase(Locale.ROOT); }
}
