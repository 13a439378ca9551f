package jcipa.tensor.io;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Python globals a checkpoint pickle may name. Anything else is refused where it is named,
 * before any object is built: the unpickler never resolves a name to code, it only maps these
 * names to its own builders ({@link CheckpointGlobals}).
 */
enum CheckpointGlobal {
    ORDERED_DICT("collections", "OrderedDict"),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter"),
    TORCH_SIZE("torch", "Size"),
    NAMESPACE("argparse", "Namespace"),
    SET("builtins", "set"),
    FROZENSET("builtins", "frozenset"),
    // Protocol-2 pickles written by Python 3 use the Python 2 module name for builtins.
    SET_PY2("__builtin__", "set"),
    FROZENSET_PY2("__builtin__", "frozenset"),
    FLOAT_STORAGE(StorageType.FLOAT),
    HALF_STORAGE(StorageType.HALF),
    BFLOAT16_STORAGE(StorageType.BFLOAT16),
    DOUBLE_STORAGE(StorageType.DOUBLE),
    LONG_STORAGE(StorageType.LONG),
    INT_STORAGE(StorageType.INT),
    SHORT_STORAGE(StorageType.SHORT),
    CHAR_STORAGE(StorageType.CHAR),
    BYTE_STORAGE(StorageType.BYTE),
    BOOL_STORAGE(StorageType.BOOL);

    final String module;
    final String name;
    /** The storage type this global names, or null. */
    final StorageType storage;

    CheckpointGlobal(String module, String name) {
        this.module = module;
        this.name = name;
        this.storage = null;
    }

    CheckpointGlobal(StorageType storage) {
        this.module = "torch";
        this.name = storage.className;
        this.storage = storage;
    }

    String qualifiedName() {
        return module + "." + name;
    }

    private static final Map<String, CheckpointGlobal> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toMap(g -> g.module + "\n" + g.name, g -> g, (a, b) -> a, LinkedHashMap::new));

    /** Every allowed global as {@code module.name}, comma-separated. */
    static String allowedList() {
        return Arrays.stream(values()).map(CheckpointGlobal::qualifiedName).collect(Collectors.joining(", "));
    }

    /** The allowed global {@code module.name}, or a refusal that names it. */
    static CheckpointGlobal lookup(String module, String name) throws PickleError {
        CheckpointGlobal g = BY_NAME.get(module + "\n" + name);
        if (g == null) {
            throw new PickleError("refused global " + printable(module) + "." + printable(name)
                    + ": a checkpoint may only name " + allowedList());
        }
        return g;
    }

    /** {@code s} with control and non-ASCII characters escaped, cut at 200 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) b.append(c);
            else b.append(String.format("\\u%04x", (int) c));
        }
        if (b.length() >= 200) b.append("...");
        return b.toString();
    }
}
