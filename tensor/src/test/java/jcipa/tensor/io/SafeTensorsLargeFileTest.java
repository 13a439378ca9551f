package jcipa.tensor.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offsets past 2^31 bytes: a sparse file of about 3 GB (only a few blocks on disk). */
class SafeTensorsLargeFileTest {

    @TempDir
    Path dir;

    @Test
    void tensorBeyondTwoGigabytes() throws Exception {
        long far = 3_000_000_000L;
        String json = "{\"near\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"far\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[" + far + "," + (far + 16) + "]}}";
        Path p = RawFiles.write(dir.resolve("big.safetensors"), json, RawFiles.le(9f));
        long dataStart = 8 + json.length();
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(dataStart + far + 16);
            f.getChannel().write(ByteBuffer.wrap(RawFiles.le(-1.25, 1e-300)), dataStart + far);
        }
        try (SafeTensors st = SafeTensors.open(p)) {
            assertArrayEquals(new float[] {9f}, st.floats("near"));
            assertArrayEquals(new double[] {-1.25, 1e-300}, st.doubles("far"));
            assertEquals(far, st.entry("far").begin());
        }
    }
}
