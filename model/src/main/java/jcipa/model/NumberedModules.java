package jcipa.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jcipa.nn.Module;

/** PyTorch's ModuleList / Sequential container: children named "0", "1", … in order. */
final class NumberedModules<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();

    NumberedModules<M> add(M m) {
        child(Integer.toString(items.size()), m);
        items.add(m);
        return this;
    }

    List<M> items() { return Collections.unmodifiableList(items); }

    M get(int i) { return items.get(i); }

    int size() { return items.size(); }
}
