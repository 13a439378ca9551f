package jcipa.verify;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.charset.Charset;

import jcipa.tensor.io.StDType;

/**
 * NumPy's {@code .npy} format, version 1.0: the magic {@code \x93NUMPY}, version bytes 1 0, a
 * little-endian u16 header length, then an ASCII Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and ended
 * by a newline so that the data starts at a multiple of 64 bytes; then the raw row-major data.
 * Reading also accepts versions 2.0 and 3.0 (u32 header length) and big-endian data.
 */
final class Npy {
    private Npy() {}

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** An array as read: its dtype, shape and little-endian bytes. */
    record Array(StDType dtype, long[] shape, byte[] littleEndian) {}

    /** NumPy's type string of a dtype. */
    static String descr(StDType t) {
        return switch (t) {
            case F64 -> "<f8";
            case F32 -> "<f4";
            case F16 -> "<f2";
            case I64 -> "<i8";
            case I32 -> "<i4";
            case I16 -> "<i2";
            case I8 -> "|i1";
            case U64 -> "<u8";
            case U32 -> "<u4";
            case U16 -> "<u2";
            case U8 -> "|u1";
            case BOOL -> "|b1";
            default -> throw new IllegalArgumentException("npy: NumPy has no dtype for " + t);
        };
    }

    /** The header (magic to newline) of an array; its length is a multiple of 64. */
    static byte[] header(StDType dtype, long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        s.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr(dtype) + "', 'fortran_order': False, 'shape': " + s + ", }";
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(total - unpadded) + "\n";
        if (text.length() > 0xffff) throw new IllegalArgumentException("npy: header of " + text.length() + " bytes needs format 2.0");
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length()).put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private static final Pattern TEXT_DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([SU])(\\d+)'");

    /**
     * The text of a .npy holding one string: a NumPy bytes scalar ({@code |S<n>}, UTF-8, trailing NULs dropped)
     * or unicode scalar ({@code <U<n>}, UTF-32). This is what {@code np.savez(f, **np.load(ours))} makes of our
     * {@code __metadata__.json} entry, so a file re-saved by NumPy keeps its metadata.
     */
    static String readText(byte[] file, String what) {
        Header h = header(file, what);
        String dict = h.dict();
        Matcher d = TEXT_DESCR.matcher(dict), s = SHAPE.matcher(dict);
        if (!d.find() || !s.find() || !List.of("", "1", "1,").contains(s.group(1).replace(" ", "")))
            throw new IllegalArgumentException(what + ": expected one string (dtype S or U, shape () or (1,)), found header " + dict.strip());
        byte[] data = Arrays.copyOfRange(file, h.dataStart(), file.length);
        String text = d.group(2).equals("S")
                ? new String(data, StandardCharsets.UTF_8)
                : new String(data, d.group(1).equals(">") ? Charset.forName("UTF-32BE") : Charset.forName("UTF-32LE"));
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '\0') end--;
        return text.substring(0, end);
    }

    /** A .npy header: its Python dict literal and where the data begins. */
    private record Header(String dict, int dataStart) {}

    /** Checks the magic, version and header length of a .npy file and returns its header. */
    private static Header header(byte[] file, String what) {
        if (file.length < 10 || !Arrays.equals(Arrays.copyOf(file, 6), MAGIC))
            throw new IllegalArgumentException(what + ": not a .npy array (no \\x93NUMPY magic)");
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int major = file[6];
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        if (major < 1 || major > 3 || headerLength < 0 || start + headerLength > file.length)
            throw new IllegalArgumentException(what + ": npy version " + major + "." + file[7] + " or header length " + headerLength + " is not readable");
        String dict = new String(file, start, headerLength, StandardCharsets.ISO_8859_1);
        return new Header(dict, start + headerLength);
    }

    /** Parses a whole .npy file; {@code what} names it in error messages. */
    static Array read(byte[] file, String what) {
        Header h = header(file, what);
        String dict = h.dict();
        Matcher d = DESCR.matcher(dict), f = FORTRAN.matcher(dict), s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) throw new IllegalArgumentException(what + ": npy header not understood: " + dict.strip());
        if (f.group(1).equals("True")) throw new IllegalArgumentException(what + ": Fortran-order arrays are not supported (save with np.ascontiguousarray)");
        StDType dtype = dtype(d.group(2), Integer.parseInt(d.group(3)), what);
        String[] dims = s.group(1).split(",");
        long[] shape = Arrays.stream(dims).map(String::strip).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        long numel = 1;
        for (long x : shape) numel = Math.multiplyExact(numel, x);
        int dataStart = h.dataStart();
        long bytes = numel * dtype.byteSize();
        if (dataStart + bytes != file.length)
            throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes + " bytes, the file has " + (file.length - dataStart));
        byte[] data = Arrays.copyOfRange(file, dataStart, file.length);
        if (d.group(1).equals(">")) swapBytes(data, dtype.byteSize());
        return new Array(dtype, shape, data);
    }

    private static StDType dtype(String kind, int size, String what) {
        StDType t = switch (kind + size) {
            case "f8" -> StDType.F64;
            case "f4" -> StDType.F32;
            case "f2" -> StDType.F16;
            case "i8" -> StDType.I64;
            case "i4" -> StDType.I32;
            case "i2" -> StDType.I16;
            case "i1" -> StDType.I8;
            case "u8" -> StDType.U64;
            case "u4" -> StDType.U32;
            case "u2" -> StDType.U16;
            case "u1" -> StDType.U8;
            case "b1" -> StDType.BOOL;
            default -> null;
        };
        if (t == null) throw new IllegalArgumentException(what + ": npy dtype '" + kind + size + "' is not a number type this reader knows");
        return t;
    }

    private static void swapBytes(byte[] data, int width) {
        for (int at = 0; at < data.length; at += width)
            for (int i = 0, j = width - 1; i < j; i++, j--) {
                byte t = data[at + i];
                data[at + i] = data[at + j];
                data[at + j] = t;
            }
    }
}
