package jcipa.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PreprocessTest {
    /** Every 8-bit value against the formula in float64, within the float32 rounding of three steps. */
    @Test
    void intensityIsU8Over255Times3Point2MinusOnePointSix() {
        assertEquals(-1.6f, Preprocess.intensity(0));
        for (int u = 0; u < 256; u++) assertEquals(u / 255.0 * 3.2 - 1.6, Preprocess.intensity(u), 4e-7, "u8 " + u);
        assertEquals(1.6, Preprocess.intensity(255), 3e-7);
    }

    @Test
    void imageIsThreeIdenticalChannels() {
        U8Image img = new U8Image(2, 1, new byte[] {0, (byte) 200});
        float[] x = Preprocess.image(img);
        assertEquals(6, x.length);
        for (int c = 0; c < 3; c++) {
            assertEquals(Preprocess.intensity(0), x[2 * c]);
            assertEquals(Preprocess.intensity(200), x[2 * c + 1]);
        }
    }

    /** The official target: u8/255 ≥ 0.5, i.e. 128 and above. */
    @Test
    void maskIsThresholdedAtHalf() {
        for (int u = 0; u < 256; u++) assertEquals(u >= 128 ? 1f : 0f, Preprocess.mask(u), "u8 " + u);
    }
}
