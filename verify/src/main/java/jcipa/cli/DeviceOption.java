package jcipa.cli;

import jcipa.tensor.device.Backends;
import jcipa.tensor.device.Device;
import jcipa.tensor.device.DeviceUnavailableException;
import jcipa.tensor.device.cuda.CudaBackend;
import picocli.CommandLine.Option;

/**
 * {@code --device cpu|cuda}, a mixin for every command that runs the model. {@link #apply()} switches
 * the kernel backend ({@link Backends}); without a usable GPU it prints why and the command exits
 * with {@link #EXIT_NO_DEVICE}.
 */
public final class DeviceOption {
    /** Exit status when the device asked for cannot be used. */
    public static final int EXIT_NO_DEVICE = 3;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "where matrix products, convolutions and selective scans run: cpu (default) or cuda (NVIDIA GPU 0)")
    String device = "cpu";

    /** The device named, checked. */
    public Device device() { return Device.parse(device); }

    /** Switches the backend; returns null when done, else the exit status after printing the reason to stderr. */
    public Integer apply() {
        Device d;
        try {
            d = device();
        } catch (IllegalArgumentException e) {
            System.err.println("cipa: --device: " + e.getMessage());
            return 2;
        }
        try {
            Backends.use(d);
            if (d == Device.CUDA) System.err.println("cipa: device cuda: " + CudaBackend.open().description());
            return null;
        } catch (DeviceUnavailableException e) {
            System.err.println("cipa: --device " + d + ": " + e.getMessage());
            return EXIT_NO_DEVICE;
        }
    }
}
