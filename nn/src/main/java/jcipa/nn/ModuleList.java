package jcipa.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An ordered list of modules named "0", "1", ... (PyTorch's nn.ModuleList / nn.Sequential naming).
 * {@link #skip()} leaves a position for a stateless layer (a Sequential's GELU, say), so the
 * stateful ones keep their official indices.
 */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();
    private int next;

    /** Appends a module under the next index. */
    public M add(M m) {
        child(Integer.toString(next++), m);
        items.add(m);
        return m;
    }

    /** Consumes the next index without registering anything (a layer with no state). */
    public ModuleList<M> skip() {
        next++;
        return this;
    }

    /** The i-th registered module (skipped positions do not count). */
    public M get(int i) { return items.get(i); }

    /** Number of registered modules. */
    public int size() { return items.size(); }

    public List<M> items() { return Collections.unmodifiableList(items); }
}
