package jcipa.tensor.io;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints built byte by byte: strides, offsets and shared storages, every dtype, the three
 * state-dict layouts, and the non-tensor values a checkpoint carries. Expected values are worked
 * out by hand in the comments.
 */
class TorchCheckpointHandBuiltTest {
    @TempDir Path dir;

    static final byte[] TWELVE = PthFiles.f32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

    private Path write(PickleBytes p, Map<String, byte[]> storages) throws Exception {
        return PthFiles.checkpoint(dir.resolve("t.pth"), p.stop().bytes(), storages);
    }

    @Test
    void stridedViewsOfOneSharedStorageAreGatheredRowMajor() throws Exception {
        PickleBytes p = PickleBytes.proto(2).orderedDict().mark()
                // (i, j) -> 1 + i + 3j: a transposed 3x2 view
                .str("t").tensor("FloatStorage", "0", 12, 1, new long[] {3, 2}, new long[] {1, 3}).binput(50)
                .str("u").tensor("FloatStorage", "0", 12, 6, new long[] {2, 3}, new long[] {3, 1})
                .str("s").tensor("FloatStorage", "0", 12, 5, new long[] {}, new long[] {})
                .str("z").tensor("FloatStorage", "0", 12, 12, new long[] {0, 4}, new long[] {4, 1})
                // stride 0 repeats a row: (i, j) -> 3 + j
                .str("b").tensor("FloatStorage", "0", 12, 3, new long[] {2, 3}, new long[] {0, 1})
                // (i, j, k) -> i + 6j + 2k
                .str("c").tensor("FloatStorage", "0", 12, 0, new long[] {2, 2, 3}, new long[] {1, 6, 2})
                .str("same").binget(50)
                .setitems();
        TorchCheckpoint ck = TorchCheckpoint.read(write(p, Map.of("0", TWELVE)));
        Map<String, TorchTensor> sd = ck.stateDict();
        assertSame(ck.top(), sd, "a bare OrderedDict of tensors is the state dict");
        assertEquals(List.of("t", "u", "s", "z", "b", "c", "same"), new ArrayList<>(sd.keySet()));
        assertTensor(sd.get("t"), new int[] {3, 2}, 1, 4, 2, 5, 3, 6);
        assertTensor(sd.get("u"), new int[] {2, 3}, 6, 7, 8, 9, 10, 11);
        assertTensor(sd.get("s"), new int[] {}, 5);
        assertTensor(sd.get("z"), new int[] {0, 4});
        assertTensor(sd.get("b"), new int[] {2, 3}, 3, 4, 5, 3, 4, 5);
        assertTensor(sd.get("c"), new int[] {2, 2, 3}, 0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11);
        assertSame(sd.get("t"), sd.get("same"), "one pickled tensor referred to twice stays one tensor");
    }

    private static void assertTensor(TorchTensor t, int[] shape, float... values) {
        assertEquals("float32", t.dtype());
        assertArrayEquals(shape, t.shape());
        assertArrayEquals(values, t.floats());
        assertNull(t.doubles());
        assertNull(t.longs());
    }

    @Test
    void everyDtypeDecodes() throws Exception {
        PickleBytes p = PickleBytes.proto(2).orderedDict().mark()
                .str("half").tensor("HalfStorage", "1", 5)
                .str("half_view").tensor("HalfStorage", "1", 5, 1, new long[] {2}, new long[] {2})
                .str("bf16").tensor("BFloat16Storage", "2", 3)
                .str("f64").tensor("DoubleStorage", "3", 3)
                .str("i64").tensor("LongStorage", "4", 2)
                .str("i32").tensor("IntStorage", "5", 2)
                .str("i16").tensor("ShortStorage", "6", 2)
                .str("i8").tensor("CharStorage", "7", 1)
                .str("u8").tensor("ByteStorage", "8", 2)
                .str("bool").tensor("BoolStorage", "9", 3)
                .setitems();
        Map<String, byte[]> storages = Map.of(
                "1", PthFiles.u16(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00), // 1, -2, 65504, 2^-24, +inf
                "2", PthFiles.u16(0x3F80, 0xC040, 0x0001), // 1, -3, and the float32 with bits 0x00010000
                "3", PthFiles.f64(Math.PI, -0.0, 1e300),
                "4", PthFiles.i64(Long.MIN_VALUE, 42),
                "5", PthFiles.i32(-5, 7),
                "6", PthFiles.u16(0xFFFF, 0x7FFF), // -1, 32767
                "7", PthFiles.u8(0xFD), // -3
                "8", PthFiles.u8(200, 0),
                "9", PthFiles.u8(1, 0, 1));
        Map<String, TorchTensor> sd = TorchCheckpoint.read(write(p, storages)).stateDict();
        assertEquals("float16", sd.get("half").dtype());
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY}, sd.get("half").floats());
        assertArrayEquals(new float[] {-2f, 0x1p-24f}, sd.get("half_view").floats());
        assertEquals("bfloat16", sd.get("bf16").dtype());
        assertArrayEquals(new float[] {1f, -3f, Float.intBitsToFloat(0x00010000)}, sd.get("bf16").floats());
        assertEquals("float64", sd.get("f64").dtype());
        assertArrayEquals(new double[] {Math.PI, -0.0, 1e300}, sd.get("f64").doubles());
        assertNull(sd.get("f64").floats());
        assertLongs(sd.get("i64"), "int64", Long.MIN_VALUE, 42);
        assertLongs(sd.get("i32"), "int32", -5, 7);
        assertLongs(sd.get("i16"), "int16", -1, 32767);
        assertLongs(sd.get("i8"), "int8", -3);
        assertLongs(sd.get("u8"), "uint8", 200, 0);
        assertLongs(sd.get("bool"), "bool", 1, 0, 1);
    }

    private static void assertLongs(TorchTensor t, String dtype, long... values) {
        assertEquals(dtype, t.dtype());
        assertArrayEquals(values, t.longs());
        assertArrayEquals(new int[] {values.length}, t.shape());
    }

    @Test
    void deflatedRecordsWithoutByteorderRecord() throws Exception {
        // A checkpoint re-zipped with compression, and without the byteorder record of older torch versions.
        Map<String, byte[]> records = new java.util.LinkedHashMap<>();
        records.put("old/data.pkl", PickleBytes.proto(2).orderedDict().mark()
                .str("w").tensor("FloatStorage", "0", 12, 2, new long[] {2, 2}, new long[] {1, 2}).setitems().stop().bytes());
        records.put("old/data/0", TWELVE);
        Path f = PthFiles.zip(dir.resolve("deflated.pth"), records, java.util.zip.ZipEntry.DEFLATED);
        // (i, j) -> 2 + i + 2j
        assertTensor(TorchCheckpoint.read(f).stateDict().get("w"), new int[] {2, 2}, 2, 4, 3, 5);
    }

    @Test
    void stateDictUnderStateDictOrModel() throws Exception {
        PickleBytes p = PickleBytes.proto(2).emptyDict().mark()
                .str("state_dict").emptyDict().mark().str("w").tensor("FloatStorage", "0", 12).setitems()
                .str("epoch").integer(7)
                .setitems();
        TorchCheckpoint ck = TorchCheckpoint.read(write(p, Map.of("0", TWELVE)));
        assertEquals(Set.of("w"), ck.stateDict().keySet());
        assertSame(ck.stateDict(), ck.tensorsUnder("state_dict"));
        assertEquals(7L, ck.epoch());
        assertNull(ck.args());

        PickleBytes both = PickleBytes.proto(2).emptyDict().mark()
                .str("state_dict").emptyDict().mark().str("a").tensor("FloatStorage", "0", 12).setitems()
                .str("model").emptyDict().mark().str("b").tensor("FloatStorage", "0", 12).setitems()
                .setitems();
        assertEquals(Set.of("b"), TorchCheckpoint.read(write(both, Map.of("0", TWELVE))).stateDict().keySet(), "'model' comes first");
    }

    @Test
    void noStateDictIsReportedWithTheKeys() throws Exception {
        PickleBytes p = PickleBytes.proto(2).emptyDict().mark().str("epoch").integer(1).str("model").str("not tensors").setitems();
        TorchCheckpoint ck = TorchCheckpoint.read(write(p, Map.of()));
        var e = assertThrows(IllegalStateException.class, ck::stateDict);
        assertTrue(e.getMessage().contains("[epoch, model]"), e.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> ck.tensorsUnder("optimizer"));
        assertTrue(u.getMessage().contains("no top-level key 'optimizer'"), u.getMessage());
        var n = assertThrows(IllegalArgumentException.class, () -> ck.tensorsUnder("model"));
        assertTrue(n.getMessage().contains("'model' is not a dict of str to tensors"), n.getMessage());
    }

    @Test
    void protocolFourValuesNamespaceSetsSizesAndParameters() throws Exception {
        PickleBytes p = PickleBytes.proto(4).op(0x95).le64(0).emptyDict().memoize().mark()
                .shortStr("args").shortStr("argparse").shortStr("Namespace").op(0x93).emptyTuple().newobj()
                .mark().emptyDict().mark().shortStr("lr").floating(0.5).shortStr("name").shortStr("x").setitems().none().tuple().build()
                .shortStr("set").global("__builtin__", "set").emptyList().mark().integer(2).integer(1).appends().tuple1().reduce()
                .shortStr("frozen").mark().shortStr("a").frozen()
                .shortStr("empty_set").op(0x8f).mark().integer(3).op(0x90)
                .shortStr("size").global("torch", "Size").ints(2, 3).tuple1().reduce()
                .shortStr("big").op(0x8a, 9).raw(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1}) // 2^64
                .shortStr("neg").integer(-7)
                .shortStr("bytes").op('C', 2, 0xAB, 0xCD)
                .shortStr("pair").shortStr("a").none().tuple2()
                .shortStr("param").global("torch._utils", "_rebuild_parameter").mark()
                .tensor("FloatStorage", "0", 12, 0, new long[] {2}, new long[] {5}).bool(true).orderedDict().tuple().reduce()
                .binget(0).op('0') // the top dict from the memo, popped again
                .setitems();
        TorchCheckpoint ck = TorchCheckpoint.read(write(p, Map.of("0", TWELVE)));
        Map<?, ?> top = (Map<?, ?>) ck.top();
        assertEquals(Map.of("lr", 0.5, "name", "x"), ck.args());
        assertInstanceOf(TorchCheckpoint.Namespace.class, top.get("args"));
        assertEquals(List.of(2L, 1L), new ArrayList<>((Set<?>) top.get("set")));
        assertEquals(Set.of("a"), top.get("frozen"));
        assertEquals(Set.of(3L), top.get("empty_set"));
        assertEquals(List.of(2L, 3L), top.get("size"));
        assertEquals(BigInteger.ONE.shiftLeft(64), top.get("big"));
        assertEquals(-7L, top.get("neg"));
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xCD}, (byte[]) top.get("bytes"));
        assertEquals(java.util.Arrays.asList("a", null), top.get("pair"));
        TorchTensor param = (TorchTensor) top.get("param");
        assertArrayEquals(new float[] {0, 5}, param.floats());
        assertEquals(10, top.size());
    }
}
