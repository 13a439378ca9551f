package jcipa.tensor.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle machine for checkpoints that executes nothing: it knows the binary opcodes of
 * protocols 2–5 that torch.save and Python's pickler emit for data, resolves GLOBAL and
 * STACK_GLOBAL only to {@link CheckpointGlobal} (refusing every other name where it appears), and
 * applies REDUCE, NEWOBJ and BUILD only through {@link CheckpointGlobals}.
 *
 * <p>Safe on hostile input: the machine is iterative (no recursion on nesting), every declared
 * length is compared with the bytes that remain before anything is allocated, memo indices are
 * looked up in a map (an absurd index is a missing one), and BINPERSID only checks a storage
 * against the archive without reading it.
 *
 * <p>Values: None → null, bool → Boolean, int → Long (BigInteger beyond 64 bits), float → Double,
 * str → String, bytes → byte[], tuple → {@link PyTuple}, list → ArrayList, dict → LinkedHashMap,
 * OrderedDict → {@link OrderedDictMap}, set → LinkedHashSet, tensors → {@link TensorView}.
 */
final class RestrictedUnpickler {
    /** Longest GLOBAL module or name line. */
    static final int MAX_GLOBAL_LINE = 256;
    /** Longest LONG4 integer, in bytes. */
    static final int MAX_LONG_BYTES = 1024;

    private final byte[] in;
    private final CheckpointGlobals.StorageResolver storages;
    private int pos;
    private final ArrayList<Object> stack = new ArrayList<>();
    private int[] marks = new int[16];
    private int markCount;
    private final HashMap<Long, Object> memo = new HashMap<>();
    private final List<TensorView> tensors = new ArrayList<>();

    RestrictedUnpickler(byte[] pickle, CheckpointGlobals.StorageResolver storages) {
        this.in = pickle;
        this.storages = storages;
    }

    /** Every tensor the pickle built, in order (including any it dropped). */
    List<TensorView> tensorsBuilt() {
        return tensors;
    }

    /** Runs the pickle to its STOP and returns the object it leaves. */
    Object load() throws PickleError {
        while (true) {
            if (pos >= in.length) throw new PickleError("pickle ends at byte " + pos + " without STOP");
            int at = pos;
            int op = in[pos++] & 0xFF;
            try {
                if (op == '.') return pop();
                step(op);
            } catch (PickleError e) {
                throw new PickleError("byte " + at + ", opcode " + opName(op) + ": " + e.getMessage());
            }
        }
    }

    private void step(int op) throws PickleError {
        switch (op) {
            case 0x80 -> { // PROTO
                int v = u8();
                if (v < 2 || v > 5) throw new PickleError("pickle protocol " + v + " is not supported (2 to 5 are)");
            }
            case 0x95 -> { // FRAME: a length prefix for buffered reading; nothing to do in memory.
                long n = u64();
                if (n < 0 || n > in.length - pos) throw new PickleError("frame of " + Long.toUnsignedString(n) + " bytes but only " + (in.length - pos) + " remain");
            }
            case '(' -> { // MARK
                if (markCount == marks.length) marks = Arrays.copyOf(marks, 2 * marks.length);
                marks[markCount++] = stack.size();
            }
            case '0' -> { // POP (a MARK if nothing is above it)
                if (stack.size() > base()) stack.removeLast();
                else popMark();
            }
            case '1' -> popMark(); // POP_MARK
            case '2' -> push(peek()); // DUP
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'J' -> push((long) i32()); // BININT
            case 'K' -> push((long) u8()); // BININT1
            case 'M' -> push((long) (u8() | u8() << 8)); // BININT2
            case 0x8a -> push(integer(bytes(u8()))); // LONG1
            case 0x8b -> { // LONG4
                int n = i32();
                if (n < 0 || n > MAX_LONG_BYTES) throw new PickleError("LONG4 of " + n + " bytes (at most " + MAX_LONG_BYTES + " accepted)");
                push(integer(bytes(n)));
            }
            case 'G' -> push(Double.longBitsToDouble(ByteBuffer.wrap(bytes(8)).getLong())); // BINFLOAT, big-endian
            case 'X' -> push(utf8(u32())); // BINUNICODE
            case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
            case 0x8d -> push(utf8(u64())); // BINUNICODE8
            case 'B' -> push(bytes(u32())); // BINBYTES
            case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
            case 0x8e -> push(bytes(u64())); // BINBYTES8
            case ')' -> push(PyTuple.EMPTY);
            case 't' -> push(new PyTuple(popMark().toArray()));
            case 0x85, 0x86, 0x87 -> { // TUPLE1..3
                Object[] items = new Object[op - 0x84];
                for (int i = items.length - 1; i >= 0; i--) items[i] = pop();
                push(new PyTuple(items));
            }
            case ']' -> push(new ArrayList<>());
            case 'l' -> push(new ArrayList<>(popMark()));
            case 'a' -> { // APPEND
                Object v = pop();
                listOnTop().add(v);
            }
            case 'e' -> { // APPENDS
                List<Object> items = popMark();
                listOnTop().addAll(items);
            }
            case '}' -> push(new LinkedHashMap<>());
            case 'd' -> { // DICT
                List<Object> items = popMark();
                LinkedHashMap<Object, Object> d = new LinkedHashMap<>();
                putPairs(d, items);
                push(d);
            }
            case 's' -> { // SETITEM
                Object v = pop();
                Object k = pop();
                putPairs(dictOnTop(), Arrays.asList(k, v));
            }
            case 'u' -> { // SETITEMS
                List<Object> items = popMark();
                putPairs(dictOnTop(), items);
            }
            case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
            case 0x90 -> { // ADDITEMS
                List<Object> items = popMark();
                if (!(peek() instanceof LinkedHashSet<?>)) throw new PickleError("ADDITEMS on a " + CheckpointGlobals.typeName(peek()));
                @SuppressWarnings("unchecked") Set<Object> s = (Set<Object>) peek();
                addAll(s, items);
            }
            case 0x91 -> { // FROZENSET
                LinkedHashSet<Object> s = new LinkedHashSet<>();
                addAll(s, popMark());
                push(s);
            }
            case 'c' -> { // GLOBAL: "module\nname\n"
                String module = line();
                String name = line();
                push(CheckpointGlobal.lookup(module, name));
            }
            case 0x93 -> { // STACK_GLOBAL
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleError("STACK_GLOBAL needs two str, got " + CheckpointGlobals.typeName(module) + " and " + CheckpointGlobals.typeName(name));
                }
                push(CheckpointGlobal.lookup(m, n));
            }
            case 'R' -> { // REDUCE
                Object args = pop();
                push(track(CheckpointGlobals.reduce(callable(pop(), "REDUCE"), args)));
            }
            case 0x81 -> { // NEWOBJ
                Object args = pop();
                push(CheckpointGlobals.newObject(callable(pop(), "NEWOBJ"), args));
            }
            case 'b' -> { // BUILD
                Object state = pop();
                CheckpointGlobals.build(peek(), state);
            }
            case 'Q' -> push(CheckpointGlobals.persistentLoad(pop(), storages)); // BINPERSID
            case 'q' -> memo.put((long) u8(), peek()); // BINPUT
            case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
            case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
            case 'h' -> push(memoGet(u8())); // BINGET
            case 'j' -> push(memoGet(u32())); // LONG_BINGET
            default -> throw new PickleError("unsupported opcode (checkpoints use protocol 2-5 binary opcodes for data only)");
        }
    }

    private Object track(Object built) {
        if (built instanceof TensorView v) tensors.add(v);
        return built;
    }

    private static CheckpointGlobal callable(Object f, String op) throws PickleError {
        if (f instanceof CheckpointGlobal g) return g;
        throw new PickleError(op + " on a " + CheckpointGlobals.typeName(f) + ", which is not callable");
    }

    private Object memoGet(long index) throws PickleError {
        Object v = memo.get(index);
        if (v == null && !memo.containsKey(index)) throw new PickleError("memo index " + index + " is not defined");
        return v;
    }

    private List<Object> listOnTop() throws PickleError {
        Object t = peek();
        if (t instanceof ArrayList<?>) {
            @SuppressWarnings("unchecked") List<Object> l = (List<Object>) t;
            return l;
        }
        throw new PickleError("APPEND to a " + CheckpointGlobals.typeName(t) + ", not a list");
    }

    private Map<Object, Object> dictOnTop() throws PickleError {
        Object t = peek();
        if (t instanceof LinkedHashMap<?, ?>) {
            @SuppressWarnings("unchecked") Map<Object, Object> m = (Map<Object, Object>) t;
            return m;
        }
        throw new PickleError("SETITEM on a " + CheckpointGlobals.typeName(t) + ", not a dict");
    }

    private static void putPairs(Map<Object, Object> d, List<Object> items) throws PickleError {
        if (items.size() % 2 != 0) throw new PickleError("odd number of items (" + items.size() + ") for a dict");
        for (int i = 0; i < items.size(); i += 2) {
            CheckpointGlobals.checkHashable(items.get(i));
            d.put(items.get(i), items.get(i + 1));
        }
    }

    private static void addAll(Set<Object> s, Collection<Object> items) throws PickleError {
        for (Object o : items) {
            CheckpointGlobals.checkHashable(o);
            s.add(o);
        }
    }

    // ---- the stack; a MARK opens a fresh frame, as in Python's unpickler

    private int base() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws PickleError {
        if (stack.size() <= base()) throw new PickleError("stack underflow");
        return stack.removeLast();
    }

    private Object peek() throws PickleError {
        if (stack.size() <= base()) throw new PickleError("stack underflow");
        return stack.getLast();
    }

    private List<Object> popMark() throws PickleError {
        if (markCount == 0) throw new PickleError("no MARK on the stack");
        int from = marks[--markCount];
        List<Object> top = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    // ---- reading operands; every length is checked against what remains before allocating

    private void need(long n) throws PickleError {
        if (n < 0 || n > in.length - pos) {
            throw new PickleError("declares " + Long.toUnsignedString(n) + " bytes but only " + (in.length - pos) + " remain");
        }
    }

    private int u8() throws PickleError {
        need(1);
        return in[pos++] & 0xFF;
    }

    private int i32() throws PickleError {
        need(4);
        int v = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8 | (in[pos + 2] & 0xFF) << 16 | in[pos + 3] << 24;
        pos += 4;
        return v;
    }

    private long u32() throws PickleError {
        return i32() & 0xFFFFFFFFL;
    }

    /** An unsigned 64-bit length; values of 2^63 and above come back negative, which {@link #need} refuses. */
    private long u64() throws PickleError {
        long lo = u32();
        long hi = u32();
        return lo | hi << 32;
    }

    private byte[] bytes(long n) throws PickleError {
        need(n);
        byte[] b = Arrays.copyOfRange(in, pos, pos + (int) n);
        pos += (int) n;
        return b;
    }

    private String utf8(long n) throws PickleError {
        need(n);
        try {
            CharBuffer c = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in, pos, (int) n));
            pos += (int) n;
            return c.toString();
        } catch (CharacterCodingException e) {
            throw new PickleError("string of " + n + " bytes is not valid UTF-8");
        }
    }

    private String line() throws PickleError {
        int end = pos;
        while (end < in.length && end - pos <= MAX_GLOBAL_LINE && in[end] != '\n') end++;
        if (end >= in.length || in[end] != '\n') throw new PickleError("GLOBAL name not ended by a newline within " + MAX_GLOBAL_LINE + " bytes");
        String s = utf8(end - pos);
        pos++; // the newline
        return s;
    }

    /** Little-endian two's complement, as LONG1/LONG4 store it. */
    private static Object integer(byte[] le) {
        if (le.length == 0) return 0L;
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static String opName(int op) {
        String printable = op >= 0x20 && op < 0x7F ? " '" + (char) op + "'" : "";
        return String.format("0x%02x%s", op, printable);
    }
}
