package jcipa.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jcipa.tensor.ops.Pointwise;

/**
 * Reverse-mode automatic differentiation over the graph that ops record.
 *
 * <p>Every op computes its output and then calls {@link #record}: if gradients are enabled and an
 * input requires a gradient, the output remembers a {@link Node} with the op's backward.
 * {@link Tensor#backward(Tensor)} visits the nodes in reverse topological order, calls each backward
 * with the summed gradient of its output, and adds the results to its inputs' gradients; leaves
 * that require gradients accumulate them across calls in {@link Tensor#grad()}.
 */
public final class Autograd {
    private Autograd() {}

    private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);

    /** True unless inside a {@link #noGrad} scope on this thread. */
    public static boolean isEnabled() { return DISABLED.get()[0] == 0; }

    /** A scope in which ops record nothing; close it to restore. Nestable. */
    public static Scope noGrad() {
        int[] c = DISABLED.get();
        c[0]++;
        return () -> c[0]--;
    }

    /**
     * A scope in which ops record again, even inside a {@link #noGrad} scope or a backward pass (which runs without
     * recording); close it to restore. For {@link jcipa.tensor.ops.Checkpoint}'s recomputation.
     */
    public static Scope enableGrad() {
        int[] c = DISABLED.get();
        int saved = c[0];
        c[0] = 0;
        return () -> c[0] = saved;
    }

    /** Runs {@code body} with gradient recording off. */
    public static <T> T noGrad(Supplier<T> body) {
        try (Scope s = noGrad()) {
            return body.get();
        }
    }

    /** A closeable scope that cannot throw. */
    public interface Scope extends AutoCloseable {
        @Override void close();
    }

    /** Whether {@link #record} would record an op on these inputs (gradients on, some input requiring one). */
    public static boolean willRecord(Tensor... inputs) {
        if (!isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad) return true;
        return false;
    }

    /**
     * Records that {@code out} was computed by {@code op} from {@code inputs}. Returns {@code out}.
     * Nothing is recorded when gradients are off or no input requires a gradient.
     */
    public static Tensor record(String op, Tensor out, Node.Backward backward, Tensor... inputs) {
        OpClock.lap(op);
        if (!willRecord(inputs)) return out;
        if (out.node != null) throw new IllegalStateException(op + ": output already has a graph node (" + out.node.op() + ")");
        out.node = new Node(op, Collections.unmodifiableList(java.util.Arrays.asList(inputs.clone())), backward);
        out.requiresGrad = true;
        return out;
    }

    /** Backpropagates {@code seed} = dL/d(root) through the graph below {@code root}. */
    static void backward(Tensor root, Tensor seed) {
        if (!root.requiresGrad) throw new IllegalStateException("backward: the tensor does not require a gradient (no input of its graph does)");
        if (!java.util.Arrays.equals(root.shape, seed.shape) || root.dtype() != seed.dtype())
            throw new IllegalArgumentException("backward: seed " + seed.dtype() + Shape.str(seed.shape) + " does not match tensor " + root.dtype() + Shape.str(root.shape));
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, seed);
        try (Scope s = noGrad()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) continue;
                if (t.node == null) {
                    t.grad = t.grad == null ? g : Pointwise.add(t.grad, g);
                    continue;
                }
                String charged = OpClock.charge("backward " + t.node.op());
                Tensor[] gi = t.node.backward().apply(g);
                OpClock.restore(charged);
                List<Tensor> in = t.node.inputs();
                if (gi.length != in.size())
                    throw new IllegalStateException(t.node.op() + ": backward returned " + gi.length + " gradients for " + in.size() + " inputs");
                for (int k = 0; k < gi.length; k++) {
                    Tensor x = in.get(k);
                    if (x == null || !x.requiresGrad || gi[k] == null) continue;
                    if (!java.util.Arrays.equals(gi[k].shape, x.shape) || gi[k].dtype() != x.dtype())
                        throw new IllegalStateException(t.node.op() + ": gradient of input " + k + " is " + gi[k].dtype() + Shape.str(gi[k].shape)
                                + " but the input is " + x.dtype() + Shape.str(x.shape));
                    Tensor prev = grads.get(x);
                    grads.put(x, prev == null ? gi[k] : Pointwise.add(prev, gi[k]));
                }
            }
        }
    }

    /** Tensors reachable from root (through nodes), each after all of its inputs. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();   // {tensor, next input index}
        stack.push(new Object[] {root, 0});
        seen.add(root);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Tensor t = (Tensor) top[0];
            int k = (Integer) top[1];
            List<Tensor> in = t.node == null ? List.of() : t.node.inputs();
            if (k < in.size()) {
                top[1] = k + 1;
                Tensor x = in.get(k);
                if (x != null && x.requiresGrad && seen.add(x)) stack.push(new Object[] {x, 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
