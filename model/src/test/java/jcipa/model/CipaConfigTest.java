package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CipaConfigTest {
    @Test
    void sizesThatAreNotMultiplesOf128AreRejectedWithTheRule() {
        for (int size : new int[] {0, 64, 200, 500, 513}) {
            var e = assertThrows(IllegalArgumentException.class, () -> CipaConfig.tiny(size));
            assertTrue(e.getMessage().contains("multiple of 128") && e.getMessage().contains(Integer.toString(size)), e.getMessage());
        }
        assertEquals(384, CipaConfig.base(384).imageSize());
    }

    @Test
    void namedConfigurationsAreTheOfficialOnes() {
        assertEquals(96, CipaConfig.named("sigma_tiny", 512).dims());
        assertEquals(27, CipaConfig.named("small", 512).depths()[2]);
        assertEquals(128, CipaConfig.named("base", 512).dims());
        assertThrows(IllegalArgumentException.class, () -> CipaConfig.named("huge", 512));
        var e = assertThrows(IllegalArgumentException.class, () -> new CipaConfig("c", 16, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 128, 0));
        assertTrue(e.getMessage().contains("at least 30"), e.getMessage());
    }

    @Test
    void theModelRejectsInputsOfAnotherSizeNamingBoth() {
        Cipa m = new Cipa(new CipaConfig("c", 32, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 128, 0), DType.F32);
        Tensor wrong = Tensor.zeros(DType.F32, 1, 3, 256, 256);
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(wrong, wrong));
        assertTrue(e.getMessage().contains("128") && e.getMessage().contains("[1, 3, 256, 256]"), e.getMessage());
    }
}
