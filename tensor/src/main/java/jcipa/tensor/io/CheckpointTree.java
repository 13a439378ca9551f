package jcipa.tensor.io;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what the unpickler left into the plain read-only Java view {@link TorchCheckpoint#top}
 * gives: containers become unmodifiable (tuples stay {@link PyTuple}, an unmodifiable list), and
 * each {@link TensorView} becomes a gathered {@link TorchTensor}, one per view even when the
 * pickle refers to it several times.
 *
 * <p>The walk is iterative (post-order with an explicit stack), refuses cycles and nesting deeper
 * than {@link #MAX_DEPTH}, reads each storage once and drops it after its last view, and caps the
 * gathered elements at {@link #EXPANSION} times the storage elements (strided views may repeat
 * elements; a hostile file could otherwise ask for far more memory than it holds).
 */
final class CheckpointTree {
    /** Deepest nesting of containers accepted (checkpoints nest about 5 deep). */
    static final int MAX_DEPTH = 256;
    /** Gathered elements may exceed the storages' elements by this factor (plus {@link #SLACK}). */
    static final long EXPANSION = 4;
    static final long SLACK = 1 << 20;

    interface StorageReader {
        byte[] read(PickledStorage s) throws IOException;
    }

    private final StorageReader reader;
    private final Map<PickledStorage, Integer> viewsLeft = new HashMap<>();
    private final Map<PickledStorage, byte[]> loaded = new HashMap<>();
    private final long elementBudget;
    private long elementsGathered;

    private final IdentityHashMap<Object, Object> done = new IdentityHashMap<>();
    private final IdentityHashMap<Object, Integer> height = new IdentityHashMap<>();
    private final Set<Object> onPath = Collections.newSetFromMap(new IdentityHashMap<>());

    private CheckpointTree(StorageReader reader, List<TensorView> views) {
        this.reader = reader;
        long storageElements = 0;
        Set<PickledStorage> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (TensorView v : views) {
            viewsLeft.merge(v.storage, 1, Integer::sum);
            if (seen.add(v.storage)) storageElements += v.storage.numel();
        }
        this.elementBudget = EXPANSION * storageElements + SLACK;
    }

    /** The read-only view of {@code root}; tensors gathered from {@code reader}'s storages. */
    static Object freeze(Object root, List<TensorView> views, StorageReader reader) throws IOException, PickleError {
        return new CheckpointTree(reader, views).walk(root);
    }

    /** One container being walked: its children and where each goes back. */
    private static final class Frame {
        final Object node;
        final Object[] children;
        int next;
        int maxChildHeight;

        Frame(Object node, Object[] children) {
            this.node = node;
            this.children = children;
        }
    }

    private Object walk(Object root) throws IOException, PickleError {
        if (!isContainer(root)) return leaf(root);
        ArrayDeque<Frame> path = new ArrayDeque<>();
        enter(root, path);
        Object result = null;
        while (!path.isEmpty()) {
            Frame f = path.peek();
            if (f.next < f.children.length) {
                int i = f.next++;
                Object child = f.children[i];
                if (!isContainer(child)) {
                    f.children[i] = leaf(child);
                } else if (done.containsKey(child)) {
                    int h = height.get(child);
                    if (path.size() + h > MAX_DEPTH) throw deep();
                    f.maxChildHeight = Math.max(f.maxChildHeight, h);
                    f.children[i] = done.get(child);
                } else if (onPath.contains(child)) {
                    throw new PickleError("the pickle builds a cyclic structure (a " + CheckpointGlobals.typeName(child) + " inside itself)");
                } else {
                    f.next--; // come back to store the finished child
                    enter(child, path);
                }
                continue;
            }
            path.pop();
            onPath.remove(f.node);
            Object frozen = finish(f);
            done.put(f.node, frozen);
            height.put(f.node, f.maxChildHeight + 1);
            Frame parent = path.peek();
            if (parent == null) {
                result = frozen;
            } else {
                parent.children[parent.next] = frozen;
                parent.maxChildHeight = Math.max(parent.maxChildHeight, f.maxChildHeight + 1);
                parent.next++;
            }
        }
        return result;
    }

    private void enter(Object node, ArrayDeque<Frame> path) throws PickleError {
        if (path.size() >= MAX_DEPTH) throw deep();
        onPath.add(node);
        path.push(new Frame(node, children(node)));
    }

    private static PickleError deep() {
        return new PickleError("containers nest deeper than " + MAX_DEPTH + " levels");
    }

    private static boolean isContainer(Object o) {
        return o instanceof Map || o instanceof List || o instanceof Set;
    }

    /** Values to walk: a map's values, a list's or tuple's items (set members and keys are scalars). */
    private static Object[] children(Object node) {
        return switch (node) {
            case TorchCheckpoint.Namespace ns -> ns.fields().values().toArray();
            case Map<?, ?> m -> m.values().toArray();
            case List<?> l -> l.toArray();
            default -> new Object[0];
        };
    }

    /** The read-only container holding the frozen children. */
    private static Object finish(Frame f) {
        Object[] c = f.children;
        switch (f.node) {
            case TorchCheckpoint.Namespace ns -> {
                int i = 0;
                for (Map.Entry<String, Object> e : ns.fields().entrySet()) e.setValue(c[i++]);
                return ns;
            }
            case Map<?, ?> m -> {
                LinkedHashMap<Object, Object> out = LinkedHashMap.newLinkedHashMap(m.size());
                int i = 0;
                for (Object k : m.keySet()) out.put(k, c[i++]);
                return Collections.unmodifiableSequencedMap(out);
            }
            case PyTuple t -> {
                for (int i = 0; i < c.length; i++) t.replace(i, c[i]);
                return t;
            }
            case List<?> l -> {
                return Collections.unmodifiableList(new ArrayList<>(java.util.Arrays.asList(c)));
            }
            case Set<?> s -> {
                return Collections.unmodifiableSequencedSet(new java.util.LinkedHashSet<>(s));
            }
            default -> throw new IllegalStateException(f.node.getClass().toString());
        }
    }

    private Object leaf(Object o) throws IOException, PickleError {
        if (o instanceof TensorView v) {
            Object t = done.get(v);
            if (t == null) {
                t = gather(v);
                done.put(v, t);
            }
            return t;
        }
        if (o instanceof CheckpointGlobal g) throw new PickleError("the pickle leaves the global " + g.qualifiedName() + " as a value");
        if (o instanceof PickledStorage s) throw new PickleError("the pickle leaves storage '" + s.key() + "' as a value outside any tensor");
        return o;
    }

    private TorchTensor gather(TensorView v) throws IOException, PickleError {
        elementsGathered += v.numel;
        if (elementsGathered > elementBudget) {
            throw new PickleError("tensor views ask for more than " + elementBudget + " elements in all, " + EXPANSION
                    + " times what the storages hold: refused as a memory bomb");
        }
        byte[] bytes = loaded.get(v.storage);
        if (bytes == null) {
            bytes = reader.read(v.storage);
            loaded.put(v.storage, bytes);
        }
        TorchTensor t = v.gather(bytes);
        if (viewsLeft.merge(v.storage, -1, Integer::sum) <= 0) loaded.remove(v.storage);
        return t;
    }
}
