package jcipa.tensor.device;

import jcipa.tensor.device.cuda.CudaBackend;

/**
 * The dispatch point between the ops and the kernels: {@link #current()} is the backend every op
 * calls for its matrix products, convolutions and selective scans. It is the CPU backend unless
 * {@link #use(Device)} switched to another (process-wide, like {@code Parallel.setThreads}).
 */
public final class Backends {
    private Backends() {}

    private static volatile Backend current = CpuBackend.INSTANCE;

    /** Replaces the current backend by {@code b} (e.g. a {@link TimingBackend} around it); for tools. */
    public static void set(Backend b) { current = java.util.Objects.requireNonNull(b); }

    /** The backend the ops use now. */
    public static Backend current() { return current; }

    /**
     * Makes {@code device} the backend of every op from now on. CUDA is opened on first use (driver,
     * GPU 0, PTX module, cuBLAS); when that fails nothing changes and the exception says why.
     */
    public static void use(Device device) throws DeviceUnavailableException {
        current = switch (device) {
            case CPU -> CpuBackend.INSTANCE;
            case CUDA -> checking(CudaBackend.open());
        };
    }

    /** With $JCIPA_CUDA_CHECK=THRESHOLD set, every GPU call is also run on the CPU and drifts above it are logged (diagnostic). */
    private static Backend checking(Backend gpu) {
        String t = System.getenv("JCIPA_CUDA_CHECK");
        if (t == null || t.isBlank()) return gpu;
        System.err.println("cipa: JCIPA_CUDA_CHECK=" + t + ": every GPU kernel call is checked against the CPU kernels");
        return new CheckingBackend(gpu, Double.parseDouble(t), System.err);
    }

    /** Why CUDA cannot be used here, or null when it can (opens it on first call; does not switch). */
    public static String cudaUnavailableReason() {
        try {
            CudaBackend.open();
            return null;
        } catch (DeviceUnavailableException e) {
            return e.getMessage();
        }
    }
}
