package jcipa.tensor.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each tensor goes in a file the writer makes, and the header bytes that say so.
 *
 * <p>Data order: by element size, largest first, ties in insertion order. Tensors are contiguous
 * (no gaps, as the reference reader requires) and, since the header length is a multiple of 8,
 * every tensor starts at a file offset that is a multiple of its element size. The header lists
 * {@code __metadata__} first (omitted when empty), then the tensors in insertion order; compact
 * JSON, padded with spaces to a multiple of 8 bytes. Same inputs, same bytes.
 */
record Layout(byte[] header, List<PendingTensor> dataOrder) {

    static final int ALIGN = 8;

    static Layout of(List<PendingTensor> tensors, Map<String, String> metadata) {
        List<PendingTensor> order = new ArrayList<>(tensors);
        order.sort(Comparator.comparingInt((PendingTensor t) -> t.dtype().byteSize()).reversed()); // stable
        Map<PendingTensor, long[]> offsets = new IdentityHashMap<>();
        long at = 0;
        for (PendingTensor t : order) {
            long end = Math.addExact(at, t.byteLength());
            offsets.put(t, new long[] {at, end});
            at = end;
        }
        return new Layout(headerJson(tensors, metadata, offsets), List.copyOf(order));
    }

    private static byte[] headerJson(List<PendingTensor> tensors, Map<String, String> metadata,
                                     Map<PendingTensor, long[]> offsets) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(bytes)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(Header.METADATA_KEY);
                for (Map.Entry<String, String> kv : metadata.entrySet()) g.writeStringField(kv.getKey(), kv.getValue());
                g.writeEndObject();
            }
            for (PendingTensor t : tensors) {
                g.writeObjectFieldStart(t.name());
                g.writeStringField("dtype", t.dtype().name());
                g.writeFieldName("shape");
                g.writeArray(t.shape(), 0, t.shape().length);
                g.writeFieldName("data_offsets");
                long[] o = offsets.get(t);
                g.writeArray(o, 0, 2);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        int pad = (ALIGN - bytes.size() % ALIGN) % ALIGN;
        for (int i = 0; i < pad; i++) bytes.write(' ');
        return bytes.toByteArray();
    }
}
