package jcipa.tensor.io;

/**
 * The element types a safetensors header may name, with their size in bytes.
 *
 * <p>The constant names are the header's {@code "dtype"} strings. Sub-byte types (F4, F6_*) and
 * complex types are not supported: a header naming them is rejected as an unknown dtype.
 * Named {@code StDType} so it does not clash with the tensor library's own {@code DType}.
 */
public enum StDType {
    F64(8, Kind.FLOAT),
    F32(4, Kind.FLOAT),
    F16(2, Kind.FLOAT),
    BF16(2, Kind.FLOAT),
    /** 8-bit float, 4 exponent bits (bias 7), 3 mantissa bits, no infinities (the "fn" variant). */
    F8_E4M3(1, Kind.FLOAT),
    /** 8-bit float, 5 exponent bits (bias 15), 2 mantissa bits, IEEE-style infinities and NaNs. */
    F8_E5M2(1, Kind.FLOAT),
    I64(8, Kind.SIGNED),
    I32(4, Kind.SIGNED),
    I16(2, Kind.SIGNED),
    I8(1, Kind.SIGNED),
    U64(8, Kind.UNSIGNED),
    U32(4, Kind.UNSIGNED),
    U16(2, Kind.UNSIGNED),
    U8(1, Kind.UNSIGNED),
    /** One byte per element; the reference writes 0 or 1. */
    BOOL(1, Kind.UNSIGNED);

    private enum Kind { FLOAT, SIGNED, UNSIGNED }

    private final int byteSize;
    private final Kind kind;

    StDType(int byteSize, Kind kind) {
        this.byteSize = byteSize;
        this.kind = kind;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for F64, F32, F16, BF16 and the F8 types. */
    public boolean isFloatingPoint() {
        return kind == Kind.FLOAT;
    }

    /** True for the integer types and BOOL. */
    public boolean isInteger() {
        return kind != Kind.FLOAT;
    }

    /** True for I64, I32, I16, I8. */
    public boolean isSigned() {
        return kind == Kind.SIGNED;
    }

    /** The dtype named exactly {@code name} (case-sensitive, as in the header), or null. */
    public static StDType fromHeaderName(String name) {
        for (StDType t : values()) {
            if (t.name().equals(name)) return t;
        }
        return null;
    }
}
