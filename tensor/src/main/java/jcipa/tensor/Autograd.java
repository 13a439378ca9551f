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
        Node.Edge[] edges = new Node.Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) edges[i] = Node.Edge.to(inputs[i]);
        out.node = new Node(op, Collections.unmodifiableList(java.util.Arrays.asList(edges)), backward);
        out.requiresGrad = true;
        return out;
    }

    /**
     * Backpropagates {@code seed} = dL/d(root) through the graph below {@code root}: each node's backward once, after
     * every node that uses its output, with the sum of the gradients that reached it (summed in the order they
     * arrive); a leaf's arrivals are summed likewise and then added to its {@link Tensor#grad()}.
     */
    static void backward(Tensor root, Tensor seed) {
        if (!root.requiresGrad) throw new IllegalStateException("backward: the tensor does not require a gradient (no input of its graph does)");
        if (!java.util.Arrays.equals(root.shape, seed.shape) || root.dtype() != seed.dtype())
            throw new IllegalArgumentException("backward: seed " + seed.dtype() + Shape.str(seed.shape) + " does not match tensor " + root.dtype() + Shape.str(root.shape));
        Map<Tensor, Tensor> leafGrads = new IdentityHashMap<>();
        try (Scope s = noGrad()) {
            if (root.node == null) {
                leafGrads.put(root, seed);
            } else {
                List<Node> order = topologicalOrder(root.node);
                Map<Node, Tensor> grads = new IdentityHashMap<>();
                GradientStorage held = new GradientStorage(seed);
                grads.put(root.node, seed);
                for (int i = order.size() - 1; i >= 0; i--) {
                    Node n = order.get(i);
                    Tensor g = grads.remove(n);
                    if (g == null) continue;
                    String charged = OpClock.chargeBackward(n.op());
                    Tensor[] gi = n.runBackward(g);
                    OpClock.restore(charged);
                    List<Node.Edge> edges = n.edges();
                    if (gi.length != edges.size())
                        throw new IllegalStateException(n.op() + ": backward returned " + gi.length + " gradients for " + edges.size() + " inputs");
                    for (Tensor t : gi) held.hold(t);
                    for (int k = 0; k < gi.length; k++) {
                        Node.Edge e = edges.get(k);
                        if (gi[k] == null) continue;
                        if (e == null) { held.release(gi[k]); continue; }
                        if (!java.util.Arrays.equals(gi[k].shape, e.shape()) || gi[k].dtype() != e.dtype())
                            throw new IllegalStateException(n.op() + ": gradient of input " + k + " is " + gi[k].dtype() + Shape.str(gi[k].shape)
                                    + " but the input is " + e.dtype() + Shape.str(e.shape()));
                        if (e.node() != null) arrive(grads, e.node(), gi[k], held);
                        else arrive(leafGrads, e.leaf(), gi[k], held);
                    }
                    held.release(g);
                }
            }
            leafGrads.forEach((leaf, g) -> leaf.grad = leaf.grad == null ? g : Pointwise.add(leaf.grad, g));
        }
    }

    /**
     * Gradient g arrives at key (a node or a leaf): held there alone, or summed with what arrived before (earlier
     * arrivals first); the summed parts are then let go.
     */
    private static <K> void arrive(Map<K, Tensor> grads, K key, Tensor g, GradientStorage held) {
        Tensor before = grads.get(key);
        if (before == null) {
            grads.put(key, g);
            return;
        }
        Tensor sum = Pointwise.add(before, g);
        held.hold(sum);
        grads.put(key, sum);
        held.release(before);
        held.release(g);
    }

    /**
     * Counts who holds each gradient's storage during a backward pass (the gradients waiting at nodes and leaves, the
     * one a backward is running with and the ones it returned; a backward may return its input or a view of it, or one
     * tensor for two inputs), so that storage nobody holds any more goes to {@link Tensor#recycle} and the next
     * gradient or activation of its size reuses it instead of a new array the JVM must clear. The seed is the
     * caller's and never recycled; what reaches a leaf stays held (it becomes the leaf's gradient).
     */
    private static final class GradientStorage {
        private final Map<float[], int[]> holders = new IdentityHashMap<>();
        private final float[] seed;

        GradientStorage(Tensor seed) {
            this.seed = seed.f;
            hold(seed);
        }

        void hold(Tensor t) {
            if (t != null && t.f != null) holders.computeIfAbsent(t.f, k -> new int[1])[0]++;
        }

        void release(Tensor t) {
            if (t == null || t.f == null) return;
            int[] count = holders.get(t.f);
            if (count == null || --count[0] > 0) return;
            holders.remove(t.f);
            if (t.f != seed) Tensor.recycle(t);
        }
    }

    /** Nodes reachable from root (through edges), each after all of the nodes that computed its inputs. */
    private static List<Node> topologicalOrder(Node root) {
        List<Node> order = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();   // {node, next edge index}
        stack.push(new Object[] {root, 0});
        seen.add(root);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Node n = (Node) top[0];
            int k = (Integer) top[1];
            List<Node.Edge> edges = n.edges();
            if (k < edges.size()) {
                top[1] = k + 1;
                Node.Edge e = edges.get(k);
                if (e != null && e.node() != null && seen.add(e.node())) stack.push(new Object[] {e.node(), 0});
            } else {
                stack.pop();
                order.add(n);
            }
        }
        return order;
    }

}
