package jcipa.tensor.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and fully validated JSON header of a safetensors file.
 *
 * <p>Checks, in order: valid UTF-8; one JSON object and nothing after it but whitespace; no
 * duplicate names; {@code __metadata__} (optional) maps strings to strings; every other key is a
 * tensor entry with exactly the fields {@code dtype} (a known {@link StDType}), {@code shape}
 * (non-negative integers whose product fits in a long) and {@code data_offsets} ([begin, end] with
 * 0 ≤ begin ≤ end ≤ data buffer length and end − begin = numel · dtype size); non-empty byte ranges
 * do not overlap.
 *
 * <p>Gaps between tensors and unused bytes after the last one are accepted (the reference
 * implementation rejects them; its writer never produces them, and they are harmless to a
 * reader). Overlaps are rejected: two tensors sharing bytes is never a valid file.
 */
record Header(Map<String, SafeTensors.Entry> entries, Map<String, String> metadata) {

    static final String METADATA_KEY = "__metadata__";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY) // inside entries and __metadata__
            .build(); // top-level duplicates are caught by parse(), with a clearer message

    /** Parses {@code headerBytes} for {@code file}, whose data buffer is {@code dataLength} bytes. */
    static Header parse(Path file, byte[] headerBytes, long dataLength) throws SafeTensorsFormatException {
        String text = decodeUtf8(file, headerBytes);
        Map<String, SafeTensors.Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        boolean sawMetadata = false;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SafeTensorsFormatException(file, "header is not a JSON object");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                p.nextToken();
                JsonNode value = JSON.readTree(p);
                if (METADATA_KEY.equals(name)) {
                    if (sawMetadata) throw new SafeTensorsFormatException(file, "duplicate " + METADATA_KEY);
                    sawMetadata = true;
                    readMetadata(file, value, metadata);
                } else {
                    if (entries.containsKey(name)) {
                        throw new SafeTensorsFormatException(file, "duplicate tensor name '" + name + "'");
                    }
                    entries.put(name, readEntry(file, name, value, dataLength));
                }
            }
            if (p.nextToken() != null) {
                throw new SafeTensorsFormatException(file, "header has content after its JSON object");
            }
        } catch (SafeTensorsFormatException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new SafeTensorsFormatException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SafeTensorsFormatException(file, "header is not valid JSON: " + e.getMessage(), e);
        }
        checkNoOverlap(file, entries);
        return new Header(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata));
    }

    private static String decodeUtf8(Path file, byte[] bytes) throws SafeTensorsFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsFormatException(file, "header is not valid UTF-8", e);
        }
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out)
            throws SafeTensorsFormatException {
        if (!node.isObject()) {
            throw new SafeTensorsFormatException(file, METADATA_KEY + " is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> kv : node.properties()) {
            if (!kv.getValue().isTextual()) {
                throw new SafeTensorsFormatException(file,
                        METADATA_KEY + " value of '" + kv.getKey() + "' is not a string");
            }
            out.put(kv.getKey(), kv.getValue().textValue());
        }
    }

    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");

    private static SafeTensors.Entry readEntry(Path file, String name, JsonNode node, long dataLength)
            throws SafeTensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) throw new SafeTensorsFormatException(file, where + " is not a JSON object");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!ENTRY_FIELDS.contains(field)) {
                throw new SafeTensorsFormatException(file, where + " has unknown field '" + field + "'");
            }
        }
        JsonNode dtypeNode = required(file, where, node, "dtype");
        if (!dtypeNode.isTextual()) throw new SafeTensorsFormatException(file, where + ": dtype is not a string");
        StDType dtype = StDType.fromHeaderName(dtypeNode.textValue());
        if (dtype == null) {
            throw new SafeTensorsFormatException(file, where + ": unknown dtype '" + dtypeNode.textValue() + "'");
        }

        long[] shape = longArray(file, where, "shape", required(file, where, node, "shape"));
        long numel = 1;
        for (long d : shape) {
            if (d < 0) throw new SafeTensorsFormatException(file, where + ": negative dimension in shape " + show(shape));
            try {
                numel = Math.multiplyExact(numel, d);
            } catch (ArithmeticException e) {
                throw new SafeTensorsFormatException(file, where + ": shape " + show(shape) + " has more than 2^63 elements");
            }
        }
        long byteLength;
        try {
            byteLength = Math.multiplyExact(numel, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafeTensorsFormatException(file, where + ": shape " + show(shape) + " of " + dtype + " needs more than 2^63 bytes");
        }

        long[] offsets = longArray(file, where, "data_offsets", required(file, where, node, "data_offsets"));
        if (offsets.length != 2) {
            throw new SafeTensorsFormatException(file, where + ": data_offsets " + show(offsets) + " is not [begin, end]");
        }
        long begin = offsets[0], end = offsets[1];
        if (begin < 0 || begin > end) {
            throw new SafeTensorsFormatException(file, where + ": data_offsets " + show(offsets) + " need 0 <= begin <= end");
        }
        if (end > dataLength) {
            throw new SafeTensorsFormatException(file, where + ": data_offsets " + show(offsets)
                    + " end beyond the data buffer of " + dataLength + " bytes");
        }
        if (end - begin != byteLength) {
            throw new SafeTensorsFormatException(file, where + ": data_offsets " + show(offsets) + " span "
                    + (end - begin) + " bytes but shape " + show(shape) + " of " + dtype + " needs " + byteLength);
        }
        return new SafeTensors.Entry(name, dtype, shape, begin, end);
    }

    private static JsonNode required(Path file, String where, JsonNode node, String field)
            throws SafeTensorsFormatException {
        JsonNode v = node.get(field);
        if (v == null) throw new SafeTensorsFormatException(file, where + " has no " + field);
        return v;
    }

    /** A JSON array of non-negative integers that fit in a long. */
    private static long[] longArray(Path file, String where, String field, JsonNode node)
            throws SafeTensorsFormatException {
        if (!node.isArray()) throw new SafeTensorsFormatException(file, where + ": " + field + " is not an array");
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw new SafeTensorsFormatException(file, where + ": " + field + " " + node
                        + " holds something other than a 64-bit integer");
            }
            out[i] = v.longValue();
            if (out[i] < 0) {
                throw new SafeTensorsFormatException(file, where + ": " + field + " " + node + " holds a negative value");
            }
        }
        return out;
    }

    /** Non-empty ranges sorted by begin must each start at or after the previous end. */
    private static void checkNoOverlap(Path file, Map<String, SafeTensors.Entry> entries)
            throws SafeTensorsFormatException {
        List<SafeTensors.Entry> ranges = new ArrayList<>();
        for (SafeTensors.Entry e : entries.values()) {
            if (e.end() > e.begin()) ranges.add(e);
        }
        ranges.sort(Comparator.comparingLong(SafeTensors.Entry::begin));
        for (int i = 1; i < ranges.size(); i++) {
            SafeTensors.Entry prev = ranges.get(i - 1), cur = ranges.get(i);
            if (cur.begin() < prev.end()) {
                throw new SafeTensorsFormatException(file, "tensors '" + prev.name() + "' [" + prev.begin() + ", "
                        + prev.end() + ") and '" + cur.name() + "' [" + cur.begin() + ", " + cur.end() + ") overlap");
            }
        }
    }

    static String show(long[] a) {
        return java.util.Arrays.toString(a);
    }
}
