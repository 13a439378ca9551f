package jcipa.tensor.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A safetensors file, memory-mapped read-only and validated on {@link #open}.
 *
 * <p>Layout: an 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON header, then the
 * data buffer. Each tensor's {@code data_offsets} are relative to the start of the data buffer;
 * data are little-endian, row-major. See {@link Header} for every check made on open: once a file
 * is open, every entry's bytes lie inside the file and match its shape and dtype.
 *
 * <p>The mapping uses {@link java.lang.foreign}, so files larger than 2 GB work; a single tensor
 * read into a Java array must still have fewer than 2^31 elements. Reads are thread-safe;
 * {@link #close} unmaps the file, after which reads fail.
 */
public final class SafeTensors implements AutoCloseable {

    /** Header lengths above this are refused as absurd (the header is parsed in memory). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /**
     * One tensor's header entry: dtype, shape and its byte range [begin, end) in the data buffer.
     * Equality compares the shape by content.
     */
    public record Entry(String name, StDType dtype, long[] shape, long begin, long end) {
        public Entry {
            Objects.requireNonNull(name);
            Objects.requireNonNull(dtype);
            shape = shape.clone();
        }

        /** The shape (a copy). */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Number of dimensions; 0 for a scalar. */
        public int rank() {
            return shape.length;
        }

        /** Product of the dimensions (1 for a scalar, 0 if any dimension is 0). */
        public long numel() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }

        /** Bytes in the data buffer: end − begin = numel · dtype size. */
        public long byteLength() {
            return end - begin;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && name.equals(e.name) && dtype == e.dtype
                    && Arrays.equals(shape, e.shape) && begin == e.begin && end == e.end;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
        }
    }

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final Header header;

    private SafeTensors(Path file, Arena arena, MemorySegment data, Header header) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.header = header;
    }

    /**
     * Maps {@code file} read-only and validates its whole header.
     *
     * @throws SafeTensorsFormatException if the file breaks the format (the message says how)
     * @throws IOException if it cannot be read
     */
    public static SafeTensors open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafeTensorsFormatException(file, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long n = all.get(I64, 0);
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw new SafeTensorsFormatException(file, "header length " + Long.toUnsignedString(n)
                        + " is absurd (limit " + MAX_HEADER_BYTES + " bytes)");
            }
            if (n > size - 8) {
                throw new SafeTensorsFormatException(file, "header length " + n + " exceeds the file ("
                        + size + " bytes, " + (size - 8) + " after the length field)");
            }
            byte[] headerBytes = all.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment data = all.asSlice(8 + n);
            Header header = Header.parse(file, headerBytes, data.byteSize());
            return new SafeTensors(file, arena, data, header);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The file this was opened from. */
    public Path file() {
        return file;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return header.entries().keySet();
    }

    /** True if a tensor is named {@code name}. */
    public boolean has(String name) {
        return header.entries().containsKey(name);
    }

    /** The header entry of {@code name}; an IllegalArgumentException listing close names if absent. */
    public Entry entry(String name) {
        Entry e = header.entries().get(name);
        if (e == null) throw new IllegalArgumentException(missing(name));
        return e;
    }

    /** The {@code __metadata__} map in header order (empty if the file has none). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** The shape of {@code name} as ints; an exception if a dimension exceeds Integer.MAX_VALUE. */
    public int[] shapeInt(String name) {
        long[] s = entry(name).shape();
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            if (s[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where(name) + " has dimension " + s[i] + " > Integer.MAX_VALUE");
            }
            out[i] = (int) s[i];
        }
        return out;
    }

    /** The bytes of {@code name} as a read-only slice of the mapping (valid until {@link #close}). */
    public MemorySegment segment(String name) {
        Entry e = entry(name);
        return data.asSlice(e.begin(), e.byteLength()).asReadOnly();
    }

    /**
     * F32 data as is; F16, BF16 and F8 widened exactly. Any other dtype is an error: F64 is not
     * narrowed silently (use {@link #doubles} or {@link #asDoubles}).
     */
    public float[] floats(String name) {
        Entry e = entry(name);
        int n = arrayLength(e);
        float[] out = new float[n];
        MemorySegment s = segment(name);
        switch (e.dtype()) {
            case F32 -> MemorySegment.copy(s, F32, 0, out, 0, n);
            case F16 -> { for (int i = 0; i < n; i++) out[i] = NarrowFloats.f16(s.getAtIndex(I16, i)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = NarrowFloats.bf16(s.getAtIndex(I16, i)); }
            case F8_E4M3 -> { for (int i = 0; i < n; i++) out[i] = NarrowFloats.e4m3(s.get(ValueLayout.JAVA_BYTE, i)); }
            case F8_E5M2 -> { for (int i = 0; i < n; i++) out[i] = NarrowFloats.e5m2(s.get(ValueLayout.JAVA_BYTE, i)); }
            default -> throw wrongDtype(e, "F32 (or F16/BF16/F8)", "use doubles() or asDoubles() for F64, longs() for integers");
        }
        return out;
    }

    /** F64 data only; any other dtype is an error (use {@link #asDoubles} to widen floats). */
    public double[] doubles(String name) {
        Entry e = entry(name);
        if (e.dtype() != StDType.F64) throw wrongDtype(e, "F64", "use asDoubles() to widen a float dtype exactly");
        int n = arrayLength(e);
        double[] out = new double[n];
        MemorySegment.copy(segment(name), F64, 0, out, 0, n);
        return out;
    }

    /** Any floating-point dtype as doubles (F64 as is, the others widened exactly); integers are an error. */
    public double[] asDoubles(String name) {
        Entry e = entry(name);
        if (e.dtype() == StDType.F64) return doubles(name);
        if (!e.dtype().isFloatingPoint()) throw wrongDtype(e, "a float dtype", "use longs() for integers");
        float[] f = floats(name);
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    /**
     * Integer data (I64, I32, I16, I8, U32, U16, U8, BOOL; U64 when every value fits in a signed
     * long) as longs, sign- or zero-extended as the dtype says.
     */
    public long[] longs(String name) {
        Entry e = entry(name);
        int n = arrayLength(e);
        long[] out = new long[n];
        MemorySegment s = segment(name);
        switch (e.dtype()) {
            case I64 -> MemorySegment.copy(s, I64, 0, out, 0, n);
            case U64 -> {
                MemorySegment.copy(s, I64, 0, out, 0, n);
                for (int i = 0; i < n; i++) {
                    if (out[i] < 0) {
                        throw new IllegalArgumentException(where(name) + " is U64 and element " + i + " = "
                                + Long.toUnsignedString(out[i]) + " does not fit in a signed long");
                    }
                }
            }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = s.getAtIndex(I32, i); }
            case U32 -> { for (int i = 0; i < n; i++) out[i] = Integer.toUnsignedLong(s.getAtIndex(I32, i)); }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = s.getAtIndex(I16, i); }
            case U16 -> { for (int i = 0; i < n; i++) out[i] = Short.toUnsignedLong(s.getAtIndex(I16, i)); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = s.get(ValueLayout.JAVA_BYTE, i); }
            case U8, BOOL -> { for (int i = 0; i < n; i++) out[i] = Byte.toUnsignedLong(s.get(ValueLayout.JAVA_BYTE, i)); }
            default -> throw wrongDtype(e, "an integer dtype", "use floats()/doubles() for float data");
        }
        return out;
    }

    /** The raw bytes of a one-byte dtype (U8, I8, BOOL). */
    public byte[] bytes(String name) {
        Entry e = entry(name);
        if (e.dtype() != StDType.U8 && e.dtype() != StDType.I8 && e.dtype() != StDType.BOOL) {
            throw wrongDtype(e, "U8, I8 or BOOL", "use rawBytes() for the little-endian bytes of any dtype");
        }
        return rawBytes(name);
    }

    /** The little-endian bytes of any tensor, as stored. */
    public byte[] rawBytes(String name) {
        Entry e = entry(name);
        if (e.byteLength() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(where(name) + " has " + e.byteLength() + " bytes, too many for a Java array");
        }
        return segment(name).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Unmaps the file; later reads throw IllegalStateException. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "SafeTensors[" + file + ", " + header.entries().size() + " tensors]";
    }

    private int arrayLength(Entry e) {
        long n = e.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(where(e.name()) + " has " + n + " elements, too many for a Java array");
        }
        return (int) n;
    }

    private String where(String name) {
        return file + ": tensor '" + name + "'";
    }

    private IllegalArgumentException wrongDtype(Entry e, String wanted, String hint) {
        return new IllegalArgumentException(where(e.name()) + " is " + e.dtype() + ", not " + wanted + " (" + hint + ")");
    }

    private String missing(String name) {
        List<String> close = names().stream()
                .sorted(Comparator.comparingInt((String c) -> Names.distance(name, c)).thenComparing(c -> c))
                .limit(5)
                .collect(Collectors.toList());
        String hint = close.isEmpty() ? "the file has no tensors" : "closest names: " + String.join(", ", close);
        return file + ": no tensor named '" + name + "' (" + names().size() + " tensors; " + hint + ")";
    }

    /** A builder for a new safetensors file; see {@link Writer}. */
    public static Writer writer() {
        return new Writer();
    }

    /**
     * Collects tensors and metadata, then writes a safetensors file atomically.
     *
     * <p>Each {@code put} copies its array, so later changes to it do not reach the file. An empty
     * shape means a scalar (one element). Output is deterministic (see {@link Layout}): the same
     * puts and metadata in the same order give the same bytes. {@link #write(Path, boolean)}
     * never leaves a partial file (see {@link AtomicFile}).
     */
    public static final class Writer {
        private final Map<String, PendingTensor> tensors = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Writer() {}

        /** An F32 tensor. */
        public Writer put(String name, float[] data, long... shape) {
            return add(name, StDType.F32, shape, data.length, data.clone());
        }

        /** An F64 tensor. */
        public Writer put(String name, double[] data, long... shape) {
            return add(name, StDType.F64, shape, data.length, data.clone());
        }

        /** An I64 tensor. */
        public Writer put(String name, long[] data, long... shape) {
            return add(name, StDType.I64, shape, data.length, data.clone());
        }

        /** An I32 tensor. */
        public Writer put(String name, int[] data, long... shape) {
            return add(name, StDType.I32, shape, data.length, data.clone());
        }

        /** A U8 tensor. */
        public Writer put(String name, byte[] data, long... shape) {
            return add(name, StDType.U8, shape, data.length, data.clone());
        }

        /** A tensor of any dtype given as its little-endian bytes (numel · dtype size of them). */
        public Writer putRaw(String name, StDType dtype, byte[] littleEndian, long... shape) {
            Objects.requireNonNull(dtype, "dtype");
            if (littleEndian.length % dtype.byteSize() != 0) {
                throw new IllegalArgumentException("tensor '" + name + "': " + littleEndian.length
                        + " bytes is not a whole number of " + dtype + " elements");
            }
            return add(name, dtype, shape, littleEndian.length / dtype.byteSize(), littleEndian.clone());
        }

        /** A {@code __metadata__} entry; keys keep insertion order; a repeated key is an error. */
        public Writer metadata(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (metadata.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("metadata key '" + key + "' given twice");
            }
            return this;
        }

        /** Writes to {@code file}, refusing to replace an existing file. */
        public void write(Path file) throws IOException {
            write(file, false);
        }

        /**
         * Writes to {@code file} atomically; an existing file is replaced only if {@code overwrite}
         * (else a {@link java.nio.file.FileAlreadyExistsException}).
         */
        public void write(Path file, boolean overwrite) throws IOException {
            Layout layout = Layout.of(List.copyOf(tensors.values()), metadata);
            AtomicFile.write(file, overwrite, out -> {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(layout.header().length).flip();
                PendingTensor.drain(out, length);
                PendingTensor.drain(out, ByteBuffer.wrap(layout.header()));
                ByteBuffer scratch = ByteBuffer.allocate(1 << 20);
                for (PendingTensor t : layout.dataOrder()) t.writeTo(out, scratch);
            });
        }

        private Writer add(String name, StDType dtype, long[] shape, long numel, Object copy) {
            Objects.requireNonNull(name, "name");
            if (name.equals(Header.METADATA_KEY)) {
                throw new IllegalArgumentException("'" + Header.METADATA_KEY + "' is reserved and cannot name a tensor");
            }
            if (tensors.containsKey(name)) throw new IllegalArgumentException("tensor '" + name + "' put twice");
            long expected = 1;
            for (long d : shape) {
                if (d < 0) throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
                expected = Math.multiplyExact(expected, d);
            }
            if (expected != numel) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                        + " has " + expected + " elements but the data has " + numel);
            }
            tensors.put(name, new PendingTensor(name, dtype, shape.clone(), copy));
            return this;
        }
    }
}
