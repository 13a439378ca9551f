package jcipa.tensor.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Broken and hostile checkpoints. Each is refused with a {@link TorchCheckpointException} whose
 * message names the file and the problem, nothing is written, and nothing the file declares is
 * allocated before it is checked against what the file holds.
 */
class TorchCheckpointHostileTest {
    @TempDir Path dir;

    static final byte[] TWELVE = PthFiles.f32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

    private Path pth(PickleBytes p, Map<String, byte[]> storages) throws IOException {
        return PthFiles.checkpoint(dir.resolve("bad.pth"), p.bytes(), storages);
    }

    private Path pth(PickleBytes p) throws IOException {
        return pth(p, Map.of("0", TWELVE));
    }

    /** A state dict {'w': tensor over storage '0' with the given geometry}. */
    private Path tensorFile(long numel, long offset, long[] size, long[] stride) throws IOException {
        return pth(PickleBytes.proto(2).orderedDict().mark().str("w").tensor("FloatStorage", "0", numel, offset, size, stride).setitems().stop());
    }

    private TorchCheckpointException assertRefused(Path file, String... fragments) throws IOException {
        List<Path> before;
        try (Stream<Path> s = Files.list(dir)) {
            before = s.sorted().toList();
        }
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(file));
        assertInstanceOf(IOException.class, e);
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(before, s.sorted().toList(), "reading wrote nothing");
        }
        return e;
    }

    // ---- the container

    @Test
    void randomBytes() throws Exception {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = 0x11;
        assertRefused(Files.write(dir.resolve("noise.pth"), noise), "not a zip archive");
    }

    @Test
    void legacyTorchSaveFormat() throws Exception {
        Path f = Files.write(dir.resolve("legacy.pth"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46});
        assertRefused(f, "not a zip archive", "legacy (before torch 1.6)");
    }

    @Test
    void missingFile() throws Exception {
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.read(dir.resolve("absent.pth")));
        assertTrue(e.getMessage().contains("absent.pth: no such file"), e.getMessage());
    }

    @Test
    void emptyFile() throws Exception {
        assertRefused(Files.write(dir.resolve("empty.pth"), new byte[0]), "not a zip archive");
    }

    @Test
    void truncatedZip() throws Exception {
        byte[] whole = Files.readAllBytes(SafeTensorsGoldenTest.golden("vmamba-mini-imagenet-style.pth"));
        Path f = Files.write(dir.resolve("cut.pth"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertRefused(f, "not a zip archive (torch.save writes a zip), or a truncated one");
    }

    @Test
    void zipWithoutDataPkl() throws Exception {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("archive/byteorder", PthFiles.ascii("little"));
        records.put("archive/data/0", TWELVE);
        assertRefused(PthFiles.zip(dir.resolve("nopkl.pth"), records), "no <archive>/data.pkl record", "archive/data/0");
    }

    @Test
    void zipWithTwoArchives() throws Exception {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("a/data.pkl", PickleBytes.proto(2).none().stop().bytes());
        records.put("b/data.pkl", PickleBytes.proto(2).none().stop().bytes());
        assertRefused(PthFiles.zip(dir.resolve("two.pth"), records), "several data.pkl records");
    }

    @Test
    void bigEndianByteOrder() throws Exception {
        Map<String, byte[]> records = new LinkedHashMap<>();
        records.put("archive/data.pkl", PickleBytes.proto(2).none().stop().bytes());
        records.put("archive/byteorder", PthFiles.ascii("big"));
        assertRefused(PthFiles.zip(dir.resolve("big.pth"), records), "byteorder record says 'big'");
    }

    // ---- globals: refused where they are named, before anything is built

    @ParameterizedTest(name = "{0}.{1}")
    @CsvSource({
        "os, system", "posix, system", "nt, system", "builtins, eval", "builtins, exec", "__builtin__, eval",
        "builtins, getattr", "subprocess, Popen", "torch, load", "torch._utils, _rebuild_tensor",
        "torch.nn.modules.conv, Conv2d", "numpy.core.multiarray, _reconstruct", "collections, defaultdict",
        "torch._tensor, _rebuild_from_type_v2", "runpy, _run_code"})
    void refusesAnyOtherGlobal(String module, String name) throws Exception {
        Path marker = dir.resolve("pwned");
        Path f = pth(PickleBytes.proto(2).global(module, name).str("touch " + marker).tuple1().reduce().stop());
        assertRefused(f, "refused global " + module + "." + name, "a checkpoint may only name collections.OrderedDict");
        assertFalse(Files.exists(marker));
    }

    @Test
    void refusesStackGlobalOfProtocolFour() throws Exception {
        Path f = pth(PickleBytes.proto(4).shortStr("builtins").shortStr("eval").op(0x93).shortStr("1+1").tuple1().reduce().stop());
        assertRefused(f, "refused global builtins.eval");
    }

    @Test
    void refusesAGlobalAfterValidTensors() throws Exception {
        Path f = pth(PickleBytes.proto(2).emptyDict().mark()
                .str("model").orderedDict().mark().str("w").tensor("FloatStorage", "0", 12).setitems()
                .str("args").global("posix", "system").str("id").tuple1().reduce()
                .setitems().stop());
        assertRefused(f, "refused global posix.system", "opcode 0x63 'c'");
    }

    /** Storage records are read only once the whole pickle is accepted: an unreadable one shows it. */
    @Test
    void storagesAreReadOnlyAfterThePickleIsAccepted() throws Exception {
        PickleBytes valid = PickleBytes.proto(2).orderedDict().mark().str("w").tensor("FloatStorage", "0", 12).setitems();
        Path ok = pth(valid.stop());
        PthFiles.breakLocalHeader(ok, "archive/data/0");
        assertRefused(ok, "storage '0': record archive/data/0 cannot be read");
        Files.delete(ok);

        Path hostile = pth(PickleBytes.proto(2).emptyList().mark().str("w").tensor("FloatStorage", "0", 12)
                .global("os", "system").str("id").tuple1().reduce().appends().stop());
        PthFiles.breakLocalHeader(hostile, "archive/data/0");
        TorchCheckpointException e = assertRefused(hostile, "refused global os.system");
        assertFalse(e.getMessage().contains("cannot be read"), e.getMessage());
    }

    @Test
    void refusesGlobalNamesWithControlCharactersPrintably() throws Exception {
        Path f = pth(PickleBytes.proto(4).shortStr("os\u0007").shortStr("system").op(0x93).stop());
        assertRefused(f, "refused global os\\u0007.system");
    }

    @Test
    void refusesCallingAStorageType() throws Exception {
        Path f = pth(PickleBytes.proto(2).global("torch", "FloatStorage").emptyTuple().reduce().stop());
        assertRefused(f, "torch.FloatStorage cannot be called");
    }

    @Test
    void refusesNewobjOnAFunction() throws Exception {
        Path f = pth(PickleBytes.proto(2).global("torch._utils", "_rebuild_tensor_v2").emptyTuple().newobj().stop());
        assertRefused(f, "NEWOBJ on torch._utils._rebuild_tensor_v2 is not supported");
    }

    @Test
    void refusesBuildOnAPlainDict() throws Exception {
        Path f = pth(PickleBytes.proto(2).emptyDict().emptyDict().build().stop());
        assertRefused(f, "BUILD on a dict is not supported");
    }

    @Test
    void refusesAGlobalLeftAsAValue() throws Exception {
        Path f = pth(PickleBytes.proto(2).emptyList().global("collections", "OrderedDict").append().stop());
        assertRefused(f, "leaves the global collections.OrderedDict as a value");
    }

    @Test
    void refusesUnsupportedOpcodes() throws Exception {
        // INST ('i') would call a class by name in protocol 0.
        Path f = pth(PickleBytes.proto(2).mark().op('i').raw(PthFiles.ascii("os\nsystem\n")).stop());
        assertRefused(f, "opcode 0x69 'i': unsupported opcode");
    }

    // ---- storages and tensor geometry

    @Test
    void storageRecordMissing() throws Exception {
        Path f = pth(PickleBytes.proto(2).orderedDict().mark().str("w").tensor("FloatStorage", "7", 12).setitems().stop());
        assertRefused(f, "storage '7' is missing: no record archive/data/7");
    }

    @Test
    void declaredNumelLargerThanTheRecord() throws Exception {
        assertRefused(tensorFile(100, 0, new long[] {100}, new long[] {1}),
                "storage '0' declares 100 float32 elements (400 bytes) but its record holds 48 bytes");
    }

    @Test
    void zipDirectoryClaimsAStorageLargerThanTheFile() throws Exception {
        long claimed = 0x7FFFFFF0L;
        Path f = pth(PickleBytes.proto(2).orderedDict().mark().str("w")
                .tensor("FloatStorage", "0", claimed / 4, 0, new long[] {1}, new long[] {1}).setitems().stop());
        PthFiles.patchCentralSizes(f, "archive/data/0", claimed);
        assertRefused(f, "storage '0' record declares 2147483632 bytes but the file has");
    }

    @Test
    void storageNumelOverflows() throws Exception {
        assertRefused(tensorFile(Long.MAX_VALUE / 2, 0, new long[] {1}, new long[] {1}), "overflowing 64 bits");
    }

    @Test
    void negativeStorageNumel() throws Exception {
        assertRefused(tensorFile(-1, 0, new long[] {1}, new long[] {1}), "storage '0' numel is negative: -1");
    }

    @Test
    void oneKeyNamedWithTwoTypes() throws Exception {
        Path f = pth(PickleBytes.proto(2).orderedDict().mark()
                .str("a").tensor("FloatStorage", "0", 12)
                .str("b").tensor("IntStorage", "0", 12)
                .setitems().stop());
        assertRefused(f, "storage '0' named as torch.IntStorage of 12 elements, earlier as torch.FloatStorage of 12");
    }

    @Test
    void sizesBeyondTheStorage() throws Exception {
        assertRefused(tensorFile(12, 0, new long[] {4, 4}, new long[] {4, 1}), "reaches storage element 15, beyond the storage");
    }

    @Test
    void offsetOutOfRange() throws Exception {
        assertRefused(tensorFile(12, 20, new long[] {1}, new long[] {1}), "offset 20", "reaches storage element 20");
    }

    @Test
    void offsetOfAnEmptyTensorOutOfRange() throws Exception {
        assertRefused(tensorFile(12, 13, new long[] {0}, new long[] {1}), "offset beyond the storage");
    }

    @Test
    void negativeSize() throws Exception {
        assertRefused(tensorFile(12, 0, new long[] {-1, 3}, new long[] {3, 1}), "tensor size is negative: -1");
    }

    @Test
    void negativeStride() throws Exception {
        assertRefused(tensorFile(12, 11, new long[] {3}, new long[] {-1}), "tensor stride is negative: -1");
    }

    @Test
    void negativeOffset() throws Exception {
        assertRefused(tensorFile(12, -4, new long[] {3}, new long[] {1}), "tensor storage offset is negative: -4");
    }

    @Test
    void sizesWhoseProductOverflows() throws Exception {
        assertRefused(tensorFile(12, 0, new long[] {1L << 40, 1L << 40}, new long[] {0, 0}), "element count or extent overflows 64 bits");
    }

    @Test
    void strideExtentOverflows() throws Exception {
        assertRefused(tensorFile(12, 1, new long[] {2}, new long[] {Long.MAX_VALUE}), "element count or extent overflows 64 bits");
    }

    @Test
    void moreElementsThanAJavaArray() throws Exception {
        assertRefused(tensorFile(12, 0, new long[] {1L << 31}, new long[] {0}), "exceed the Java array limit");
    }

    @Test
    void sizeBeyondSixtyFourBits() throws Exception {
        // size (2^64,) as a 9-byte LONG1
        Path f = pth(PickleBytes.proto(2).global("torch._utils", "_rebuild_tensor_v2").mark().storage("FloatStorage", "0", 12).integer(0)
                .mark().op(0x8a, 9).raw(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1}).tuple().ints(1).bool(false).orderedDict().tuple().reduce().stop());
        assertRefused(f, "tensor size 18446744073709551616 does not fit 64 bits");
    }

    @Test
    void sizeThatIsNotAnInt() throws Exception {
        Path f = pth(PickleBytes.proto(2).global("torch._utils", "_rebuild_tensor_v2").mark().storage("FloatStorage", "0", 12).integer(0)
                .mark().str("3").tuple().ints(1).bool(false).orderedDict().tuple().reduce().stop());
        assertRefused(f, "tensor size is a str, not an int");
    }

    @Test
    void rankMismatch() throws Exception {
        assertRefused(tensorFile(12, 0, new long[] {3, 4}, new long[] {1}), "tensor size and stride differ in rank: 2 and 1");
    }

    @Test
    void malformedPersistentId() throws Exception {
        Path f = pth(PickleBytes.proto(2).mark().str("storage").str("torch.FloatStorage").str("0").str("cpu").integer(12).tuple().binpersid().stop());
        assertRefused(f, "persistent id names a str 'torch.FloatStorage' where a torch storage type belongs");
    }

    @Test
    void stridedViewsThatWouldMultiplyMemory() throws Exception {
        // One float repeated 2^21 times by stride 0: more than 4x the storage plus the 2^20 slack.
        assertRefused(pth(PickleBytes.proto(2).orderedDict().mark().str("w")
                .tensor("FloatStorage", "0", 1, 0, new long[] {1L << 21}, new long[] {0}).setitems().stop(), Map.of("0", PthFiles.f32(1))),
                "refused as a memory bomb");
    }

    // ---- the pickle machine

    @Test
    @Timeout(10)
    void deeplyNestedListsAreRefusedWithoutRecursion() throws Exception {
        int depth = 200_000;
        PickleBytes p = PickleBytes.proto(2);
        for (int i = 0; i < depth; i++) p.emptyList();
        for (int i = 1; i < depth; i++) p.append();
        assertRefused(pth(p.stop()), "containers nest deeper than 256 levels");
    }

    @Test
    @Timeout(10)
    void deeplyNestedTuplesAreRefusedWithoutRecursion() throws Exception {
        PickleBytes p = PickleBytes.proto(2).emptyTuple();
        for (int i = 0; i < 200_000; i++) p.tuple1();
        assertRefused(pth(p.stop()), "containers nest deeper than 256 levels");
    }

    @Test
    void cyclicStructure() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).emptyList().binput(0).binget(0).append().stop()), "cyclic structure (a list inside itself)");
    }

    @Test
    @Timeout(10)
    void sharedReferencesAreNotExpanded() throws Exception {
        // "Billion laughs": 30 levels of a list holding its inner list twice is 2^30 leaves if expanded.
        PickleBytes p = PickleBytes.proto(2).str("lol").binput(0);
        for (int level = 1; level <= 30; level++) p.emptyList().binget(level - 1).binget(level - 1).op(0x86).append().binput(level).op('0').binget(level);
        TorchCheckpoint ck = TorchCheckpoint.read(pth(p.stop()));
        Object node = ck.top();
        for (int level = 30; level > 0; level--) node = ((List<?>) ((List<?>) node).getFirst()).getFirst();
        assertEquals("lol", node);
    }

    @Test
    void deepSharedStructureIsMeasuredThroughTheMemo() throws Exception {
        // A chain 200 deep is built once and put under a second chain 200 deep: 400 levels in all.
        PickleBytes p = PickleBytes.proto(2);
        for (int i = 0; i < 200; i++) p.emptyList();
        for (int i = 1; i < 200; i++) p.append();
        p.binput(0).op('0').emptyList().binget(0).append(); // a shallow path to the chain first
        for (int i = 0; i < 200; i++) p.emptyList();
        p.binget(0);
        for (int i = 0; i < 200; i++) p.append();
        p.tuple2();
        assertRefused(pth(p.stop()), "containers nest deeper than 256 levels");
    }

    @Test
    void absurdMemoIndex() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).longBinget(0xFFFFFFFFL).stop()), "memo index 4294967295 is not defined");
    }

    @Test
    void absurdMemoPutIsHarmless() throws Exception {
        TorchCheckpoint ck = TorchCheckpoint.read(pth(PickleBytes.proto(2).integer(5).longBinput(0xFFFFFFFFL).op('0').longBinget(0xFFFFFFFFL).stop()));
        assertEquals(5L, ck.top());
    }

    @Test
    void giganticBinunicode() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).op('X').le32(0x7FFFFFF0L).stop()), "declares 2147483632 bytes but only 1 remain");
    }

    @Test
    void giganticBinunicode8() throws Exception {
        assertRefused(pth(PickleBytes.proto(4).op(0x8d).le64(1L << 62).stop()), "declares 4611686018427387904 bytes but only 1 remain");
    }

    @Test
    void giganticBinbytes8BeyondSignedRange() throws Exception {
        assertRefused(pth(PickleBytes.proto(4).op(0x8e).le64(-1).stop()), "declares 18446744073709551615 bytes");
    }

    @Test
    void giganticBinbytes() throws Exception {
        assertRefused(pth(PickleBytes.proto(3).op('B').le32(0xFFFFFFFFL).stop()), "declares 4294967295 bytes");
    }

    @Test
    void giganticLong4() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).op(0x8b).le32(1 << 30).stop()), "LONG4 of 1073741824 bytes");
    }

    @Test
    void giganticFrame() throws Exception {
        assertRefused(pth(PickleBytes.proto(4).op(0x95).le64(1L << 60).stop()), "frame of 1152921504606846976 bytes");
    }

    @Test
    void unterminatedGlobalLine() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).op('c').raw(new byte[1000])), "GLOBAL name not ended by a newline");
    }

    @Test
    void invalidUtf8() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).op(0x8c, 2, 0xC3, 0x28).stop()), "not valid UTF-8");
    }

    @Test
    void unsupportedProtocol() throws Exception {
        assertRefused(pth(PickleBytes.proto(6).none().stop()), "pickle protocol 6 is not supported");
    }

    @Test
    void pickleWithoutStop() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).emptyDict()), "without STOP");
    }

    @Test
    void stackUnderflow() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).reduce().stop()), "opcode 0x52 'R': stack underflow");
    }

    @Test
    void popBelowAMark() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).none().mark().tuple1().stop()), "stack underflow");
    }

    @Test
    void tupleWithoutMark() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).none().tuple().stop()), "no MARK on the stack");
    }

    @Test
    void unhashableDictKey() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).emptyDict().emptyList().none().setitem().stop()), "unsupported dict key or set member: a list");
    }

    @Test
    void setitemOnAList() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).emptyList().str("k").none().setitem().stop()), "SETITEM on a list, not a dict");
    }

    @Test
    void oddSetitems() throws Exception {
        assertRefused(pth(PickleBytes.proto(2).emptyDict().mark().str("k").setitems().stop()), "odd number of items (1) for a dict");
    }
}
