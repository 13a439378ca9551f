package jcipa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

import jcipa.tensor.device.Backends;
import jcipa.tensor.device.CpuBackend;
import org.junit.jupiter.api.Test;

/** {@code --device}: without a GPU, cuda is refused with the reason and status 3 before any work. */
class DeviceOptionTest {
    private static final Path SCAN_GOLDEN = Path.of("..", "golden", "ops-selective-scan.safetensors");

    @Test
    void cudaWithoutAGpuSaysWhyAndExitsWithThree() {
        String reason = Backends.cudaUnavailableReason();
        assumeTrue(reason != null, "a GPU is present");
        for (String[] args : new String[][] {
                {"verify", "--device", "cuda", SCAN_GOLDEN.toString()},
                {"bench", "--device", "cuda", "--size", "128", "--runs", "1", "--warmup", "0"}}) {
            String[] r = InfoCommandTest.run(args);
            assertEquals("3", r[0], String.join(" ", args) + ": " + r[2]);
            assertTrue(r[2].contains("--device cuda: CUDA is not usable here: "), r[2]);
            assertTrue(r[1].isEmpty(), "nothing ran: " + r[1]);
            assertEquals(CpuBackend.INSTANCE, Backends.current());
        }
    }

    @Test
    void unknownDevicesAreRefusedBeforeAnyWork() {
        String[] r = InfoCommandTest.run("verify", "--device", "tpu", SCAN_GOLDEN.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown device 'tpu'"), r[2]);
        assertTrue(r[1].isEmpty(), r[1]);
    }
}
