package jcipa.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jcipa.tensor.Tensor;

/**
 * A building block of a network with named parameters, buffers and child modules.
 *
 * <p>The state dict lists, as PyTorch's does: this module's parameters (in registration order),
 * then its buffers, then each child's state dict under {@code childName.} in registration order.
 * Names therefore equal the official PyTorch model's when modules register in the same order.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, StateValue> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Set<String> noWeightDecay = new LinkedHashSet<>();
    private boolean training = true;
    private boolean dropPathEnabled = true;
    private boolean checkpointing = false;

    /** Registers a trainable parameter (marked as requiring gradients). */
    protected final Tensor parameter(String name, Tensor value) {
        checkName(name);
        value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    /**
     * Marks one of this module's parameters as exempt from weight decay (what the official code
     * records as the attribute {@code _no_weight_decay = True} on the parameter).
     */
    protected final void markNoWeightDecay(String name) {
        if (!parameters.containsKey(name)) throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameter '" + name + "' to mark");
        noWeightDecay.add(name);
    }

    /** Whether this module's own parameter {@code name} is marked exempt from weight decay. */
    public final boolean isNoWeightDecay(String name) { return noWeightDecay.contains(name); }

    /** Registers a float buffer (state that is saved but not trained, e.g. running statistics). */
    protected final StateValue.Floats buffer(String name, Tensor value) {
        checkName(name);
        StateValue.Floats b = new StateValue.Floats(value);
        buffers.put(name, b);
        return b;
    }

    /** Registers an integer (int64) buffer such as BatchNorm's {@code num_batches_tracked}. */
    protected final StateValue.Int64 intBuffer(String name, long... values) {
        checkName(name);
        StateValue.Int64 b = new StateValue.Int64(values);
        buffers.put(name, b);
        return b;
    }

    /** Registers a child module. */
    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) throw new IllegalArgumentException("module entry name must be non-empty without '.': '" + name + "'");
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' registered twice");
    }

    /** The direct children, in registration order. */
    public final Map<String, Module> children() { return Collections.unmodifiableMap(children); }

    /** A direct parameter by name, or null. */
    public final Tensor parameter(String name) { return parameters.get(name); }

    /** This module's own parameters (not its children's), by name, in registration order. */
    public final Map<String, Tensor> ownParameters() { return Collections.unmodifiableMap(parameters); }

    /** Every parameter of this module and its descendants, by full name, in state-dict order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, t) -> out.put(prefix + n, t));
        children.forEach((n, m) -> m.collectParameters(prefix + n + ".", out));
    }

    /** The state dict: every parameter and buffer by full name, in PyTorch's order. */
    public final Map<String, StateValue> stateDict() {
        Map<String, StateValue> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, StateValue> out) {
        parameters.forEach((n, t) -> out.put(prefix + n, new StateValue.Floats(t)));
        buffers.forEach((n, b) -> out.put(prefix + n, b));
        children.forEach((n, m) -> m.collectState(prefix + n + ".", out));
    }

    /** Every module in the tree with its full name ("" for this one), parents before children. */
    public final List<Map.Entry<String, Module>> namedModules() {
        List<Map.Entry<String, Module>> out = new ArrayList<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String name, List<Map.Entry<String, Module>> out) {
        out.add(Map.entry(name, this));
        children.forEach((n, m) -> m.collectModules(name.isEmpty() ? n : name + "." + n, out));
    }

    /** Training mode (BatchNorm uses batch statistics, drop-path is active). */
    public final Module train(boolean on) {
        training = on;
        for (Module m : children.values()) m.train(on);
        return this;
    }

    /** Evaluation mode (train(false)). */
    public final Module eval() { return train(false); }

    public final boolean isTraining() { return training; }

    /**
     * Switches stochastic depth (drop path) on or off for this module and its descendants. It is on
     * by default and acts only in training: {@code train(true)} with drop path off runs the
     * network deterministically (batch statistics in BatchNorm, every residual branch kept), as a
     * training step taken with drop-path rate 0 does.
     */
    public final Module dropPathEnabled(boolean on) {
        dropPathEnabled = on;
        for (Module m : children.values()) m.dropPathEnabled(on);
        return this;
    }

    /**
     * Activation checkpointing for this module and its children (off by default): blocks that support it keep
     * no intermediate activations of their main branch for the backward and recompute them there instead
     * ({@link jcipa.tensor.ops.Checkpoint}; the gradients have the same bits). Less memory, one more forward.
     */
    public final Module activationCheckpointing(boolean on) {
        checkpointing = on;
        for (Module m : children.values()) m.activationCheckpointing(on);
        return this;
    }

    /** Whether this module's forward checkpoints now: recording gradients with checkpointing on. */
    public final boolean checkpointingActive() { return checkpointing && jcipa.tensor.Autograd.isEnabled(); }

    /** Whether drop path acts in this module's forward now: training with drop path enabled. */
    public final boolean dropPathActive() { return training && dropPathEnabled; }

    /** Number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) n += t.numel();
        return n;
    }
}
