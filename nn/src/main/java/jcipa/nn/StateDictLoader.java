package jcipa.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Copies stored tensors into a module's parameters and buffers by state-dict name. */
public final class StateDictLoader {
    private StateDictLoader() {}

    /**
     * Loads every entry whose name and shape match; reports the rest. With {@code strict}, any
     * missing, unexpected or mis-shaped key is an error (thrown before anything is written).
     */
    public static LoadReport load(Module module, Map<String, StoredTensor> stored, boolean strict) {
        Map<String, StateValue> state = module.stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), misshaped = new ArrayList<>();
        for (String name : state.keySet()) if (!stored.containsKey(name)) missing.add(name);
        for (String name : stored.keySet()) if (!state.containsKey(name)) unexpected.add(name);
        for (var e : state.entrySet()) {
            StoredTensor t = stored.get(e.getKey());
            if (t == null) continue;
            int[] want = e.getValue().shape();
            if (!Arrays.equals(want, t.shape()))
                misshaped.add(e.getKey() + ": file " + Arrays.toString(t.shape()) + " vs model " + Arrays.toString(want));
            else if ((e.getValue() instanceof StateValue.Int64) != (t.longs() != null))
                misshaped.add(e.getKey() + ": file dtype " + t.dtype() + " vs model " + e.getValue().dtypeName());
        }
        LoadReport report = new LoadReport(missing, unexpected, misshaped);
        if (strict && !report.clean()) throw new IllegalArgumentException("state dict does not match the model:\n" + report);
        for (var e : state.entrySet()) {
            StoredTensor t = stored.get(e.getKey());
            if (t == null || misshaped.stream().anyMatch(s -> s.startsWith(e.getKey() + ":"))) continue;
            switch (e.getValue()) {
                case StateValue.Floats f -> {
                    double[] v = new double[t.numel()];
                    for (int i = 0; i < v.length; i++) v[i] = t.floats()[i];
                    f.set(v);
                }
                case StateValue.Int64 l -> System.arraycopy(t.longs(), 0, l.values(), 0, t.numel());
            }
        }
        return report;
    }
}
