package jcipa.tensor.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A PyTorch checkpoint written by {@code torch.save} (the zip format of torch 1.6 and later), read
 * without executing anything.
 *
 * <p>The file is a zip of {@code <archive>/data.pkl} (a pickle of the saved object) and one
 * record {@code <archive>/data/<key>} of raw little-endian elements per storage. The pickle is run
 * by a restricted machine ({@link RestrictedUnpickler}) that maps the few globals a checkpoint
 * legitimately names ({@link #ALLOWED_GLOBALS}) to builders of its own and refuses any other
 * global, such as {@code os.system} or {@code builtins.eval}, where it is named. Storages are read
 * only after the whole pickle was accepted; each tensor ({@code _rebuild_tensor_v2}: storage,
 * offset, sizes, strides) is gathered into a row-major array, whatever its strides, offset and
 * saved device, and tensors may share a storage.
 *
 * <p>{@link #top()} is a read-only plain Java view of the saved object: dict and OrderedDict →
 * {@code Map} (insertion order), list → {@code List}, tuple → unmodifiable {@code List}, set →
 * {@code Set}, str → String, int → Long (BigInteger beyond 64 bits), float → Double, bool →
 * Boolean, bytes → byte[], None → null, tensor → {@link TorchTensor}, argparse.Namespace →
 * {@link Namespace}. Every problem with the file is a {@link TorchCheckpointException} naming it;
 * reading never writes anything.
 */
public final class TorchCheckpoint {

    /** The Python globals a checkpoint may name, as {@code module.name}. */
    public static final String ALLOWED_GLOBALS = CheckpointGlobal.allowedList();

    /**
     * An {@code argparse.Namespace}: its attributes as a read-only map in pickle order. The
     * marker of its Python class is the type itself and {@link #pythonClass()}.
     */
    public static final class Namespace extends AbstractMap<String, Object> {
        /** The Python class this stands for. */
        public static final String PYTHON_CLASS = "argparse.Namespace";

        private final LinkedHashMap<String, Object> fields = new LinkedHashMap<>();

        Namespace() {}

        /** Always {@value #PYTHON_CLASS}. */
        public String pythonClass() {
            return PYTHON_CLASS;
        }

        LinkedHashMap<String, Object> fields() {
            return fields;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Collections.unmodifiableMap(fields).entrySet();
        }

        @Override
        public Object get(Object key) {
            return fields.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return fields.containsKey(key);
        }

        @Override
        public String toString() {
            return "Namespace" + fields;
        }
    }

    private final Path file;
    private final Object top;

    private TorchCheckpoint(Path file, Object top) {
        this.file = file;
        this.top = top;
    }

    /**
     * Reads a whole checkpoint into memory.
     *
     * @throws TorchCheckpointException if the file is not a readable torch.save zip, its pickle
     *     names a global outside {@link #ALLOWED_GLOBALS} or is malformed, or a tensor does not fit
     *     its storage (the message names the file and the problem)
     * @throws IOException if the file cannot be read
     */
    public static TorchCheckpoint read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (CheckpointArchive archive = CheckpointArchive.open(file)) {
            byte[] pickle = archive.readPickle();
            RestrictedUnpickler machine = new RestrictedUnpickler(pickle, archive.resolver());
            Object raw;
            try {
                raw = machine.load();
            } catch (PickleError e) {
                throw new TorchCheckpointException(file, archive.prefix() + "data.pkl: " + e.getMessage());
            }
            try {
                return new TorchCheckpoint(file, CheckpointTree.freeze(raw, machine.tensorsBuilt(), archive::readStorage));
            } catch (PickleError e) {
                throw new TorchCheckpointException(file, archive.prefix() + "data.pkl: " + e.getMessage());
            }
        }
    }

    /** The file this was read from. */
    public Path file() {
        return file;
    }

    /** The saved object as a read-only plain Java view (see the class comment for the mapping). */
    public Object top() {
        return top;
    }

    /**
     * The model's state dict in file order: the top-level {@code "model"} entry, else
     * {@code "state_dict"}, else the top level itself when it is a dict of tensors.
     *
     * @throws IllegalStateException if none of these is a dict of tensors (the message lists the
     *     top-level keys)
     */
    public Map<String, TorchTensor> stateDict() {
        if (top instanceof Map<?, ?> m) {
            for (String key : new String[] {"model", "state_dict"}) {
                Map<String, TorchTensor> d = asTensorMap(m.get(key));
                if (d != null) return d;
            }
            Map<String, TorchTensor> d = asTensorMap(m);
            if (d != null) return d;
            throw new IllegalStateException(file + ": no state dict: neither 'model' nor 'state_dict' is a dict of tensors, nor is the top level; top-level keys " + m.keySet());
        }
        throw new IllegalStateException(file + ": no state dict: the top level is a " + CheckpointGlobals.typeName(top) + ", not a dict");
    }

    /**
     * The dict of tensors under top-level key {@code key}, in file order.
     *
     * @throws IllegalArgumentException if there is no such key or it is not a dict of str → tensor
     */
    public Map<String, TorchTensor> tensorsUnder(String key) {
        if (!(top instanceof Map<?, ?> m) || !m.containsKey(key)) {
            String keys = top instanceof Map<?, ?> m2 ? m2.keySet().toString() : "none (the top level is not a dict)";
            throw new IllegalArgumentException(file + ": no top-level key '" + key + "'; keys: " + keys);
        }
        Map<String, TorchTensor> d = asTensorMap(m.get(key));
        if (d == null) throw new IllegalArgumentException(file + ": '" + key + "' is not a dict of str to tensors");
        return d;
    }

    /** The top-level {@code "args"} (an argparse.Namespace or a dict with str keys), or null if absent. */
    public Map<String, Object> args() {
        if (!(top instanceof Map<?, ?> m)) return null;
        Object a = m.get("args");
        if (a instanceof Namespace ns) return ns;
        if (a instanceof Map<?, ?> d && d.keySet().stream().allMatch(k -> k instanceof String)) {
            @SuppressWarnings("unchecked") Map<String, Object> typed = (Map<String, Object>) d;
            return typed;
        }
        return null;
    }

    /** The top-level {@code "epoch"} if it is an int, else null. */
    public Long epoch() {
        return top instanceof Map<?, ?> m && m.get("epoch") instanceof Long e ? e : null;
    }

    @Override
    public String toString() {
        return "TorchCheckpoint[" + file + "]";
    }

    /** {@code o} as a str → tensor map, or null if it is not one. */
    private static Map<String, TorchTensor> asTensorMap(Object o) {
        if (!(o instanceof Map<?, ?> m) || o instanceof Namespace) return null;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String) || !(e.getValue() instanceof TorchTensor)) return null;
        }
        @SuppressWarnings("unchecked") Map<String, TorchTensor> typed = (Map<String, TorchTensor>) m;
        return typed;
    }
}
