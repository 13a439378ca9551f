package jcipa.tensor.io;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the two golden checkpoints written by torch.save (PyTorch 2.11). Expected names, shapes
 * and dtypes come from the golden safetensors' {@code meta.state_dict}; expected values from the
 * raw storage records of the zip (read here with java.util.zip, without the unpickler) and from
 * bit patterns taken with Python's struct module from those records.
 */
class TorchCheckpointGoldenTest {
    static final Path CIPA = SafeTensorsGoldenTest.golden("cipa-mini-checkpoint.pth");
    static final Path VMAMBA = SafeTensorsGoldenTest.golden("vmamba-mini-imagenet-style.pth");
    static TorchCheckpoint cipa;

    @BeforeAll
    static void readOnce() throws Exception {
        cipa = TorchCheckpoint.read(CIPA);
    }

    @Test
    void modelNamesShapesAndDtypesMatchTheGoldenListing() throws Exception {
        Map<String, TorchTensor> model = cipa.stateDict();
        assertSame(model, cipa.tensorsUnder("model"));
        assertEquals(718, model.size());
        var first = model.entrySet().iterator().next();
        assertEquals("backbone.vssm.patch_embed.0.weight", first.getKey());
        assertArrayEquals(new int[] {32, 3, 4, 4}, first.getValue().shape());
        assertEquals("float32", first.getValue().dtype());

        JsonNode listing;
        try (SafeTensors st = SafeTensors.open(SafeTensorsGoldenTest.golden("cipa-mini.safetensors"))) {
            listing = new ObjectMapper().readTree(st.metadata().get("meta")).get("state_dict");
        }
        assertEquals(listing.size(), model.size());
        int i = 0;
        for (var e : model.entrySet()) {
            JsonNode row = listing.get(i++);
            assertEquals(row.get(0).asText(), e.getKey(), "name #" + i);
            int[] shape = new int[row.get(1).size()];
            for (int d = 0; d < shape.length; d++) shape[d] = row.get(1).get(d).asInt();
            assertArrayEquals(shape, e.getValue().shape(), e.getKey());
            assertEquals(row.get(2).asText(), e.getValue().dtype(), e.getKey());
        }
    }

    @Test
    void epochArgsAndTheOtherEntries() {
        assertEquals(3L, cipa.epoch());
        Map<String, Object> args = cipa.args();
        assertInstanceOf(TorchCheckpoint.Namespace.class, args);
        assertEquals("argparse.Namespace", ((TorchCheckpoint.Namespace) args).pythonClass());
        assertEquals(List.of("lr", "epochs", "batch_size", "optimizer", "amp", "img_dir"), new ArrayList<>(args.keySet()));
        assertEquals(6e-05, args.get("lr"));
        assertEquals(50L, args.get("epochs"));
        assertEquals(16L, args.get("batch_size"));
        assertEquals("AdamW", args.get("optimizer"));
        assertEquals(true, args.get("amp"));
        assertEquals("data/PCLT20k/", args.get("img_dir"));

        Map<?, ?> top = (Map<?, ?>) cipa.top();
        assertEquals(List.of("model", "optimizer", "epoch", "args", "scaler"), new ArrayList<>(top.keySet()));
        Map<?, ?> optimizer = (Map<?, ?>) top.get("optimizer");
        assertEquals(Map.of(), optimizer.get("state"));
        Map<?, ?> group = (Map<?, ?>) ((List<?>) optimizer.get("param_groups")).getFirst();
        assertEquals(6e-05, group.get("lr"));
        assertEquals(List.of(0.9, 0.999), group.get("betas"));
        assertEquals(1e-08, group.get("eps"));
        assertNull(group.get("foreach"));
        assertTrue(group.containsKey("foreach"));
        assertEquals(true, group.get("decoupled_weight_decay"));
        List<?> params = (List<?>) group.get("params");
        assertEquals(0L, params.getFirst());
        Map<?, ?> scaler = (Map<?, ?>) top.get("scaler");
        assertEquals(65536.0, scaler.get("scale"));
        assertEquals(2000L, scaler.get("growth_interval"));
        assertThrows(UnsupportedOperationException.class, () -> args.put("lr", 1.0));
        assertThrows(UnsupportedOperationException.class, () -> ((Map<Object, Object>) top).remove("model"));
    }

    @Test
    void knownValuesAndBatchCounters() {
        float[] w = cipa.stateDict().get("backbone.vssm.patch_embed.0.weight").floats();
        // bit patterns of storage record data/0, taken with Python's struct.unpack('<I', ...)
        assertEquals(0x3d985043, Float.floatToRawIntBits(w[0]));
        assertEquals(0xbd82790e, Float.floatToRawIntBits(w[1]));
        assertEquals(0xbce53973, Float.floatToRawIntBits(w[2]));
        assertEquals(0x3d8abf3d, Float.floatToRawIntBits(w[3]));
        int counters = 0;
        for (var e : cipa.stateDict().entrySet()) {
            if (!e.getKey().endsWith("num_batches_tracked")) continue;
            counters++;
            TorchTensor t = e.getValue();
            assertEquals("int64", t.dtype(), e.getKey());
            assertEquals(0, t.rank(), e.getKey());
            assertArrayEquals(new long[] {0}, t.longs(), e.getKey());
        }
        assertEquals(24, counters);
    }

    /** Every tensor of this file is contiguous on its own storage, keyed 0, 1, 2, ... in order. */
    @Test
    void everyTensorEqualsItsRawStorageRecord() throws Exception {
        try (ZipFile zip = new ZipFile(CIPA.toFile())) {
            int key = 0;
            for (var e : cipa.stateDict().entrySet()) {
                byte[] raw;
                try (InputStream in = zip.getInputStream(zip.getEntry("cipa-mini-checkpoint/data/" + key++))) {
                    raw = in.readAllBytes();
                }
                ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                TorchTensor t = e.getValue();
                if (t.dtype().equals("float32")) {
                    assertEquals(raw.length, 4 * t.floats().length, e.getKey());
                    for (int i = 0; i < t.floats().length; i++) {
                        assertEquals(le.getInt(4 * i), Float.floatToRawIntBits(t.floats()[i]), e.getKey());
                    }
                } else {
                    assertEquals(raw.length, 8 * t.longs().length, e.getKey());
                    for (int i = 0; i < t.longs().length; i++) assertEquals(le.getLong(8 * i), t.longs()[i], e.getKey());
                }
            }
        }
    }

    @Test
    void vmambaImageNetStyleCheckpoint() throws Exception {
        TorchCheckpoint v = TorchCheckpoint.read(VMAMBA);
        assertEquals(292L, v.epoch());
        assertNull(v.args());
        Map<String, TorchTensor> model = v.stateDict();
        assertEquals(82, model.size());
        List<String> names = new ArrayList<>(model.keySet());
        assertEquals("patch_embed.proj.weight", names.getFirst());
        assertEquals("head.bias", names.getLast());
        assertTrue(names.contains("layers.0.blocks.0.ln_1.weight"));
        assertTrue(names.contains("layers.3.blocks.0.self_attention.out_proj.weight"));
        assertArrayEquals(new int[] {1000, 256}, model.get("head.weight").shape());
        assertArrayEquals(new int[] {1000}, model.get("head.bias").shape());
        // The encoder is the mini model's: same patch embedding weights as in the CIPA checkpoint.
        assertEquals(cipa.stateDict().get("backbone.vssm.patch_embed.0.weight"), model.get("patch_embed.proj.weight"));
    }
}
