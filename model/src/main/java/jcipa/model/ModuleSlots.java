package jcipa.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jcipa.nn.Module;

/**
 * PyTorch's {@code nn.Sequential} when some positions hold stateless layers (activations): the
 * children are named by position ("0", "2", ...), and {@link #skip()} passes over a stateless
 * position so the stateful ones keep their official names. Plain lists use {@link NumberedModules}.
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
