package jcipa.nn;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records module inputs and outputs during a forward pass, under the modules' state-dict paths
 * and call counts (the golden files' {@code act/<path>#<k>/in<i>|out<i>}), for verification and
 * feature maps. Off unless a {@link Sink} is installed; modules call {@link #io} at the end of forward.
 */
public final class Trace {
    private Trace() {}

    /** Receives one module call: its path, its call index (0 for the first call in this trace), inputs and outputs. */
    @FunctionalInterface
    public interface Sink {
        void accept(String path, int call, List<jcipa.tensor.Tensor> inputs, List<jcipa.tensor.Tensor> outputs);
    }

    private record Active(Map<Module, String> paths, Map<Module, Integer> calls, Sink sink) {}

    private static final ThreadLocal<Active> ACTIVE = new ThreadLocal<>();

    /** Installs {@code sink} for modules under {@code root} until the returned scope is closed. */
    public static jcipa.tensor.Autograd.Scope start(Module root, Sink sink) {
        Map<Module, String> paths = new IdentityHashMap<>();
        for (var e : root.namedModules()) paths.put(e.getValue(), e.getKey());
        Active previous = ACTIVE.get();
        ACTIVE.set(new Active(paths, new IdentityHashMap<>(), sink));
        return () -> ACTIVE.set(previous);
    }

    /** True while a sink is installed (modules may skip building trace lists otherwise). */
    public static boolean active() { return ACTIVE.get() != null; }

    /** Reports one call of {@code m}. */
    public static void io(Module m, List<jcipa.tensor.Tensor> inputs, List<jcipa.tensor.Tensor> outputs) {
        Active a = ACTIVE.get();
        if (a == null) return;
        String path = a.paths().get(m);
        if (path == null) return;
        int k = a.calls().merge(m, 1, Integer::sum) - 1;
        a.sink().accept(path, k, inputs, outputs);
    }
}
