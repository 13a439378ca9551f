package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import jcipa.tensor.DType;

/** decode_head's state dict has the official names, shapes and order. */
class DecoderStateDictTest {

    @Test
    void miniListingMatches() {
        MambaDecoder d = new MambaDecoder(32, new int[] {4, 4, 4, 4}, DType.F32);
        List<String> ours = DecoderGolden.listing(d, "decode_head.");
        List<String> official = DecoderGolden.listing(DecoderGolden.miniStateDict(), "decode_head.");
        assertEquals(official.size(), ours.size());
        assertEquals(official, ours);
    }

    @Test
    void sigmaListingsMatch() {
        for (String arch : List.of("sigma_tiny", "sigma_small", "sigma_base")) {
            int c0 = arch.equals("sigma_base") ? 128 : 96;
            MambaDecoder d = new MambaDecoder(c0, new int[] {4, 4, 4, 4}, DType.F32);
            assertEquals(DecoderGolden.listing(DecoderGolden.architecture(arch), "decode_head."), DecoderGolden.listing(d, "decode_head."), arch);
        }
    }

    @Test
    void blocksStartAtOne() {
        // fresh parameters: scale1 = scale2 = 1, norms identity, as the official constructor leaves them
        MambaDecoder d = new MambaDecoder(32, new int[] {4, 4, 4, 4}, DType.F64);
        CvssDecoderBlock b = d.stage(2).block(1);
        for (String p : List.of("scale1", "scale2", "norm1.weight", "norm2.weight"))
            for (double v : d.namedParameters().get("layers_up.2.blocks.1." + p).toDoubleArray()) assertEquals(1.0, v, p);
        assertEquals(64, b.dim);
    }

    @Test
    void dropPathScheduleIsFloat32Linspace() {
        double[] r = MambaDecoder.dropPathSchedule(0.1, 16);
        assertEquals(16, r.length);
        assertEquals(0.0, r[0]);
        assertEquals((double) 0.1f, r[15]);
        for (int i = 0; i < 16; i++) {
            assertEquals((double) (float) r[i], r[i], "a float32 value");
            assertEquals(i * 0.1 / 15, r[i], 2 * Math.ulp(0.1f), "entry " + i);
        }
        assertArrayEquals(new double[] {0.0}, MambaDecoder.dropPathSchedule(0.1, 1));
    }

    @Test
    void stagesTakeTheirSliceOfTheSchedule() {
        // layers_up.k serves encoder stage s = 3 − k and takes entries Σdepths[:s] .. Σdepths[:s+1]
        int[] depths = {2, 3, 4, 5};
        MambaDecoder d = new MambaDecoder(32, depths, DType.F32, 0.1);
        double[] r = MambaDecoder.dropPathSchedule(0.1, 14);
        assertEquals(4, d.stage(1).depth());
        assertEquals(3, d.stage(2).depth());
        assertEquals(2, d.stage(3).depth());
        for (int j = 0; j < 4; j++) assertEquals(r[5 + j], d.stage(1).block(j).dropPath);
        for (int j = 0; j < 3; j++) assertEquals(r[2 + j], d.stage(2).block(j).dropPath);
        for (int j = 0; j < 2; j++) assertEquals(r[j], d.stage(3).block(j).dropPath);
    }

    @Test
    void badConfigurationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MambaDecoder(32, new int[] {4, 4, 4}, DType.F32));
        assertThrows(IllegalArgumentException.class, () -> new MambaDecoder(0, new int[] {4, 4, 4, 4}, DType.F32));
        assertThrows(IllegalArgumentException.class, () -> new MambaDecoder(32, new int[] {4, 0, 4, 4}, DType.F32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ChannelAttention(16, 30, DType.F32));
        assertTrue(e.getMessage().contains("16"));
    }
}
