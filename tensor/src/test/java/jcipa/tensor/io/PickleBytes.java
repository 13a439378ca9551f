package jcipa.tensor.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes pickles opcode by opcode, independently of the reader under test (opcode values from the
 * pickle protocol's documentation), so tests can build exactly the bytes they mean, hostile ones
 * included.
 */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PickleBytes proto(int version) {
        return new PickleBytes().op(0x80).op(version);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    PickleBytes op(int... codes) {
        for (int c : codes) out.write(c);
        return this;
    }

    PickleBytes raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    PickleBytes le32(long v) {
        return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

    PickleBytes le64(long v) {
        return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    PickleBytes mark() { return op('('); }
    PickleBytes stop() { return op('.'); }
    PickleBytes none() { return op('N'); }
    PickleBytes bool(boolean b) { return op(b ? 0x88 : 0x89); }
    PickleBytes emptyDict() { return op('}'); }
    PickleBytes emptyList() { return op(']'); }
    PickleBytes emptyTuple() { return op(')'); }
    PickleBytes tuple() { return op('t'); }
    PickleBytes tuple1() { return op(0x85); }
    PickleBytes tuple2() { return op(0x86); }
    PickleBytes setitem() { return op('s'); }
    PickleBytes setitems() { return op('u'); }
    PickleBytes append() { return op('a'); }
    PickleBytes appends() { return op('e'); }
    PickleBytes reduce() { return op('R'); }
    PickleBytes newobj() { return op(0x81); }
    PickleBytes build() { return op('b'); }
    PickleBytes binpersid() { return op('Q'); }
    PickleBytes memoize() { return op(0x94); }
    PickleBytes frozen() { return op(0x91); }
    PickleBytes binput(int i) { return op('q', i); }
    PickleBytes binget(int i) { return op('h', i); }
    PickleBytes longBinput(long i) { return op('r').le32(i); }
    PickleBytes longBinget(long i) { return op('j').le32(i); }

    /** BINUNICODE. */
    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').le32(b.length).raw(b);
    }

    /** SHORT_BINUNICODE (protocol 4). */
    PickleBytes shortStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op(0x8c, b.length).raw(b);
    }

    /** GLOBAL "module\nname\n". */
    PickleBytes global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The smallest int opcode: BININT1, BININT2, BININT, else LONG1. */
    PickleBytes integer(long v) {
        if (v >= 0 && v < 256) return op('K', (int) v);
        if (v >= 0 && v < 65536) return op('M', (int) v & 0xFF, (int) v >>> 8);
        if (v == (int) v) return op('J').le32(v);
        return op(0x8a, 8).le64(v);
    }

    PickleBytes floating(double v) {
        return op('G').raw(ByteBuffer.allocate(8).putDouble(v).array());
    }

    /** A tuple of ints, built with MARK ... TUPLE. */
    PickleBytes ints(long... v) {
        mark();
        for (long x : v) integer(x);
        return tuple();
    }

    /** {@code ('storage', torch.<type>, key, 'cuda:0', numel)} then BINPERSID. */
    PickleBytes storage(String type, String key, long numel) {
        return mark().str("storage").global("torch", type).str(key).str("cuda:0").integer(numel).tuple().binpersid();
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}, as torch.save writes it. */
    PickleBytes tensor(String type, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark().storage(type, key, numel).integer(offset).ints(size).ints(stride)
                .bool(false).global("collections", "OrderedDict").emptyTuple().reduce().tuple();
        return reduce();
    }

    /** A row-major tensor over a whole storage. */
    PickleBytes tensor(String type, String key, long... size) {
        long n = 1;
        long[] stride = new long[size.length];
        for (int d = size.length - 1; d >= 0; d--) {
            stride[d] = n;
            n *= size[d];
        }
        return tensor(type, key, n, 0, size, stride);
    }

    /** {@code collections.OrderedDict()} (then SETITEMS add to it). */
    PickleBytes orderedDict() {
        return global("collections", "OrderedDict").emptyTuple().reduce();
    }
}
