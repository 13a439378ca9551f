package jcipa.tensor.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jcipa.tensor.device.cuda.CudaSelfCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend against the float64 references ({@link CudaSelfCheck}); skipped, with the
 * reason, where no GPU is usable (CI). The CPU-side tests run everywhere.
 */
class CudaBackendTest {
    @AfterEach
    void backToCpu() throws DeviceUnavailableException {
        Backends.use(Device.CPU);
    }

    @Test
    void gpuKernelsMatchTheReferences() throws Exception {
        String reason = Backends.cudaUnavailableReason();
        assumeTrue(reason == null, () -> "no GPU test: " + reason);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> failures = CudaSelfCheck.run(new PrintStream(log, true, StandardCharsets.UTF_8));
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures) + "\n" + log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void cpuIsTheDefaultAndSwitchingBackIsFree() throws DeviceUnavailableException {
        assertSame(CpuBackend.INSTANCE, Backends.current());
        Backends.use(Device.CPU);
        assertSame(CpuBackend.INSTANCE, Backends.current());
    }

    @Test
    void withoutAGpuCudaSaysWhyAndNothingChanges() {
        String reason = Backends.cudaUnavailableReason();
        assumeTrue(reason != null, "a GPU is present");
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> Backends.use(Device.CUDA));
        assertTrue(e.getMessage().startsWith("CUDA is not usable here: "), e.getMessage());
        assertSame(CpuBackend.INSTANCE, Backends.current());
    }

    @Test
    void deviceNamesParse() {
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(Device.CUDA, Device.parse(" CUDA "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu"));
        assertTrue(e.getMessage().contains("tpu"), e.getMessage());
    }
}
