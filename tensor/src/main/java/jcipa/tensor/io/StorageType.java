package jcipa.tensor.io;

import java.nio.ByteBuffer;

/**
 * The typed storages a torch.save pickle names in its persistent ids ({@code torch.FloatStorage}
 * ...), with the dtype of their elements and how one element reads from little-endian bytes.
 */
enum StorageType {
    FLOAT("FloatStorage", "float32", 4, Kind.FLOAT),
    HALF("HalfStorage", "float16", 2, Kind.FLOAT),
    BFLOAT16("BFloat16Storage", "bfloat16", 2, Kind.FLOAT),
    DOUBLE("DoubleStorage", "float64", 8, Kind.DOUBLE),
    LONG("LongStorage", "int64", 8, Kind.LONG),
    INT("IntStorage", "int32", 4, Kind.LONG),
    SHORT("ShortStorage", "int16", 2, Kind.LONG),
    CHAR("CharStorage", "int8", 1, Kind.LONG),
    BYTE("ByteStorage", "uint8", 1, Kind.LONG),
    BOOL("BoolStorage", "bool", 1, Kind.LONG);

    /** Which array of {@link TorchTensor} holds the elements. */
    enum Kind { FLOAT, DOUBLE, LONG }

    final String className;
    final String dtype;
    final int itemSize;
    final Kind kind;

    StorageType(String className, String dtype, int itemSize, Kind kind) {
        this.className = className;
        this.dtype = dtype;
        this.itemSize = itemSize;
        this.kind = kind;
    }

    /** The Python global that names this storage type. */
    String pythonName() {
        return "torch." + className;
    }

    /** Element {@code i} of a float-kind storage, widened exactly to float32. */
    float floatAt(ByteBuffer le, int i) {
        return switch (this) {
            case FLOAT -> le.getFloat(4 * i);
            case HALF -> NarrowFloats.f16(le.getShort(2 * i));
            case BFLOAT16 -> NarrowFloats.bf16(le.getShort(2 * i));
            default -> throw new IllegalStateException(dtype + " is not a float32-kind dtype");
        };
    }

    /** Element {@code i} of an integer or bool storage (bool: 0 or 1; uint8 unsigned). */
    long longAt(ByteBuffer le, int i) {
        return switch (this) {
            case LONG -> le.getLong(8 * i);
            case INT -> le.getInt(4 * i);
            case SHORT -> le.getShort(2 * i);
            case CHAR -> le.get(i);
            case BYTE -> le.get(i) & 0xFF;
            case BOOL -> le.get(i) != 0 ? 1 : 0;
            default -> throw new IllegalStateException(dtype + " is not an integer dtype");
        };
    }

    /** Element {@code i} of a float64 storage. */
    double doubleAt(ByteBuffer le, int i) {
        return le.getDouble(8 * i);
    }
}
