package jcipa.tensor.io;

import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What the allowed globals build when a pickle calls them (REDUCE, NEWOBJ), updates them (BUILD)
 * or names a storage (BINPERSID). Every argument is checked for type and range here; tensor
 * geometry is checked against the storage before anything is read.
 */
final class CheckpointGlobals {
    private CheckpointGlobals() {}

    /** Most dimensions a tensor may have. */
    static final int MAX_RANK = 64;
    /** Most elements a tensor may have (a Java array's limit). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Checks a persistent id's storage against the archive; reads nothing. */
    interface StorageResolver {
        PickledStorage resolve(String key, StorageType type, long numel) throws PickleError;
    }

    /** {@code g(*args)}. */
    static Object reduce(CheckpointGlobal g, Object args) throws PickleError {
        PyTuple a = arguments(g, args);
        return switch (g) {
            case ORDERED_DICT -> orderedDict(a);
            case REBUILD_TENSOR_V2 -> rebuildTensor(a);
            case REBUILD_PARAMETER -> rebuildParameter(a);
            case TORCH_SIZE -> torchSize(a);
            case NAMESPACE -> namespace(a);
            case SET, SET_PY2, FROZENSET, FROZENSET_PY2 -> set(a);
            default -> throw new PickleError(g.qualifiedName() + " cannot be called (storage types only name a persistent id's storage)");
        };
    }

    /** {@code g.__new__(g, *args)}: only for the classes among the globals. */
    static Object newObject(CheckpointGlobal g, Object args) throws PickleError {
        PyTuple a = arguments(g, args);
        return switch (g) {
            case NAMESPACE -> namespace(a);
            case ORDERED_DICT -> orderedDict(a);
            default -> throw new PickleError("NEWOBJ on " + g.qualifiedName() + " is not supported");
        };
    }

    /** {@code target.__setstate__(state)} for the objects that have state. */
    static void build(Object target, Object state) throws PickleError {
        switch (target) {
            case TorchCheckpoint.Namespace ns -> {
                for (Object part : stateParts(state, "argparse.Namespace")) {
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) part).entrySet()) {
                        if (!(e.getKey() instanceof String k)) {
                            throw new PickleError("argparse.Namespace attribute name is a " + typeName(e.getKey()) + ", not a str");
                        }
                        ns.fields().put(k, e.getValue());
                    }
                }
            }
            // A state dict's attributes (its _metadata of module versions) are not kept.
            case OrderedDictMap od -> stateParts(state, "collections.OrderedDict");
            default -> throw new PickleError("BUILD on a " + typeName(target) + " is not supported");
        }
    }

    /** The storage a persistent id {@code ('storage', torch.XStorage, key, location, numel)} names. */
    static PickledStorage persistentLoad(Object pid, StorageResolver resolver) throws PickleError {
        if (!(pid instanceof PyTuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw new PickleError("persistent id is not ('storage', type, key, location, numel): " + describe(pid));
        }
        if (!(t.get(1) instanceof CheckpointGlobal g) || g.storage == null) {
            throw new PickleError("persistent id names a " + describe(t.get(1)) + " where a torch storage type belongs");
        }
        if (!(t.get(2) instanceof String key)) throw new PickleError("storage key is a " + typeName(t.get(2)) + ", not a str");
        if (!(t.get(3) instanceof String)) throw new PickleError("storage location is a " + typeName(t.get(3)) + ", not a str");
        long numel = nonNegative(t.get(4), "storage '" + CheckpointGlobal.printable(key) + "' numel");
        return resolver.resolve(key, g.storage, numel);
    }

    /** Dict keys and set members must be hashable values with value equality in Java too. */
    static void checkHashable(Object key) throws PickleError {
        if (key == null || key instanceof String || key instanceof Long || key instanceof BigInteger
                || key instanceof Double || key instanceof Boolean) {
            return;
        }
        if (key instanceof PyTuple t) {
            for (Object o : t) {
                if (o instanceof PyTuple || !(o == null || o instanceof String || o instanceof Long || o instanceof BigInteger
                        || o instanceof Double || o instanceof Boolean)) {
                    throw new PickleError("unsupported dict key or set member: a tuple holding a " + typeName(o));
                }
            }
            return;
        }
        throw new PickleError("unsupported dict key or set member: a " + typeName(key));
    }

    private static PyTuple arguments(CheckpointGlobal g, Object args) throws PickleError {
        if (args instanceof PyTuple t) return t;
        throw new PickleError(g.qualifiedName() + " called with a " + typeName(args) + " instead of an argument tuple");
    }

    private static OrderedDictMap orderedDict(PyTuple a) throws PickleError {
        OrderedDictMap d = new OrderedDictMap();
        if (a.isEmpty()) return d;
        if (a.size() != 1 || !(a.get(0) instanceof Collection<?> pairs)) {
            throw new PickleError("collections.OrderedDict takes () or (list of pairs,), got " + describe(a));
        }
        for (Object p : pairs) {
            if (!(p instanceof List<?> kv) || kv.size() != 2) throw new PickleError("collections.OrderedDict item is not a pair: " + describe(p));
            checkHashable(kv.get(0));
            d.put(kv.get(0), kv.get(1));
        }
        return d;
    }

    private static TorchCheckpoint.Namespace namespace(PyTuple a) throws PickleError {
        if (!a.isEmpty()) throw new PickleError("argparse.Namespace takes no positional arguments, got " + describe(a));
        return new TorchCheckpoint.Namespace();
    }

    private static LinkedHashSet<Object> set(PyTuple a) throws PickleError {
        LinkedHashSet<Object> s = new LinkedHashSet<>();
        if (a.isEmpty()) return s;
        if (a.size() != 1 || !(a.get(0) instanceof Collection<?> items)) throw new PickleError("set takes () or (list,), got " + describe(a));
        for (Object o : items) {
            checkHashable(o);
            s.add(o);
        }
        return s;
    }

    private static PyTuple torchSize(PyTuple a) throws PickleError {
        if (a.size() != 1 || !(a.get(0) instanceof PyTuple dims)) throw new PickleError("torch.Size takes (tuple,), got " + describe(a));
        for (Object d : dims) nonNegative(d, "torch.Size dimension");
        return dims;
    }

    private static TensorView rebuildParameter(PyTuple a) throws PickleError {
        if (a.size() != 3 || !(a.get(0) instanceof TensorView data) || !(a.get(1) instanceof Boolean) || !(a.get(2) instanceof Map)) {
            throw new PickleError("torch._utils._rebuild_parameter takes (tensor, requires_grad, hooks), got " + describe(a));
        }
        return data;
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}. */
    private static TensorView rebuildTensor(PyTuple a) throws PickleError {
        String fn = "torch._utils._rebuild_tensor_v2";
        if (a.size() != 6 && a.size() != 7) throw new PickleError(fn + " takes 6 or 7 arguments, got " + a.size());
        if (!(a.get(0) instanceof PickledStorage storage)) throw new PickleError(fn + " argument 1 is a " + typeName(a.get(0)) + ", not a storage");
        long offset = nonNegative(a.get(1), "tensor storage offset");
        if (!(a.get(2) instanceof PyTuple sizes) || !(a.get(3) instanceof PyTuple strides)) {
            throw new PickleError(fn + " size and stride must be tuples, got " + typeName(a.get(2)) + " and " + typeName(a.get(3)));
        }
        if (!(a.get(4) instanceof Boolean)) throw new PickleError(fn + " requires_grad is a " + typeName(a.get(4)) + ", not a bool");
        if (!(a.get(5) instanceof Map)) throw new PickleError(fn + " backward hooks are a " + typeName(a.get(5)) + ", not a dict");
        if (a.size() == 7 && !(a.get(6) instanceof Map)) throw new PickleError(fn + " metadata is a " + typeName(a.get(6)) + ", not a dict");
        int rank = sizes.size();
        if (rank != strides.size()) throw new PickleError("tensor size and stride differ in rank: " + rank + " and " + strides.size());
        if (rank > MAX_RANK) throw new PickleError("tensor rank " + rank + " exceeds " + MAX_RANK);
        long[] size = new long[rank], stride = new long[rank];
        for (int d = 0; d < rank; d++) {
            size[d] = nonNegative(sizes.get(d), "tensor size");
            stride[d] = nonNegative(strides.get(d), "tensor stride");
        }
        String where = "tensor size " + sizes + " stride " + strides + " offset " + offset + " on storage '"
                + CheckpointGlobal.printable(storage.key()) + "' of " + storage.numel() + " elements";
        long numel = 1, last = offset;
        try {
            for (int d = 0; d < rank; d++) {
                numel = Math.multiplyExact(numel, size[d]);
                if (size[d] > 0) last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
            }
        } catch (ArithmeticException overflow) {
            throw new PickleError(where + ": element count or extent overflows 64 bits");
        }
        if (numel > MAX_ELEMENTS) throw new PickleError(where + ": " + numel + " elements exceed the Java array limit " + MAX_ELEMENTS);
        if (numel > 0 && last >= storage.numel()) {
            throw new PickleError(where + ": reaches storage element " + last + ", beyond the storage");
        }
        if (numel == 0 && offset > storage.numel()) throw new PickleError(where + ": offset beyond the storage");
        return new TensorView(storage, offset, size, stride, (int) numel);
    }

    /** BUILD state: a dict, or (dict or None, dict or None) with slot state. */
    private static List<Map<?, ?>> stateParts(Object state, String target) throws PickleError {
        if (state instanceof Map<?, ?> m) return List.of(m);
        if (state instanceof PyTuple t && t.size() == 2 && (t.get(0) == null || t.get(0) instanceof Map)
                && (t.get(1) == null || t.get(1) instanceof Map)) {
            List<Map<?, ?>> parts = new java.util.ArrayList<>();
            for (Object p : t) if (p != null) parts.add((Map<?, ?>) p);
            return parts;
        }
        throw new PickleError("BUILD state for " + target + " is a " + typeName(state) + ", not a dict");
    }

    static long nonNegative(Object o, String what) throws PickleError {
        if (o instanceof Long v) {
            if (v < 0) throw new PickleError(what + " is negative: " + v);
            return v;
        }
        if (o instanceof BigInteger b) throw new PickleError(what + " " + b + " does not fit 64 bits");
        throw new PickleError(what + " is a " + typeName(o) + ", not an int");
    }

    /** Python's name for the type of a value the unpickler built. */
    static String typeName(Object o) {
        return switch (o) {
            case null -> "None";
            case String s -> "str";
            case Long l -> "int";
            case BigInteger b -> "int";
            case Double d -> "float";
            case Boolean b -> "bool";
            case byte[] b -> "bytes";
            case PyTuple t -> "tuple";
            case OrderedDictMap m -> "collections.OrderedDict";
            case TorchCheckpoint.Namespace n -> "argparse.Namespace";
            case Map<?, ?> m -> "dict";
            case List<?> l -> "list";
            case java.util.Set<?> s -> "set";
            case CheckpointGlobal g -> g.qualifiedName();
            case PickledStorage s -> "storage";
            case TensorView v -> "tensor";
            default -> o.getClass().getSimpleName();
        };
    }

    /** A short description: the type, and the value for scalars. */
    static String describe(Object o) {
        return switch (o) {
            case null -> "None";
            case String s -> "str '" + CheckpointGlobal.printable(s) + "'";
            case Long l -> "int " + l;
            case PyTuple t -> "tuple of " + t.size();
            default -> typeName(o);
        };
    }
}
