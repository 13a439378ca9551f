package jcipa.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jcipa.nn.Module;

/**
 * A container whose children are named by their position, as PyTorch's {@code nn.ModuleList} and
 * {@code nn.Sequential} name theirs ("0", "1", ...). Positions holding a stateless layer (an
 * activation) are skipped with {@link #skip()}, so the names of the stateful ones stay official.
 */
final class ModuleSlots<M extends Module> extends Module {
    private final List<M> modules = new ArrayList<>();
    private int next;

    /** Puts a module in the next position. */
    ModuleSlots<M> add(M module) {
        child(Integer.toString(next++), module);
        modules.add(module);
        return this;
    }

    /** Leaves the next position to a layer without state. */
    ModuleSlots<M> skip() {
        next++;
        return this;
    }

    /** The modules added, in order (skipped positions are not listed). */
    List<M> modules() { return Collections.unmodifiableList(modules); }

    M get(int i) { return modules.get(i); }

    int size() { return modules.size(); }
}
