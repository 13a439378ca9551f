package jcipa.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An ordered list of modules named "0", "1", ... (PyTorch's nn.ModuleList / nn.Sequential naming). */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();

    /** Appends a module under the next index. */
    public M add(M m) {
        child(Integer.toString(items.size()), m);
        items.add(m);
        return m;
    }

    public M get(int i) { return items.get(i); }

    public int size() { return items.size(); }

    public List<M> items() { return Collections.unmodifiableList(items); }
}
