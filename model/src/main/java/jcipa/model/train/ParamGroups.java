package jcipa.model.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jcipa.nn.BatchNorm2dLayer;
import jcipa.nn.Conv2dLayer;
import jcipa.nn.LayerNormLayer;
import jcipa.nn.LinearLayer;
import jcipa.nn.Module;
import jcipa.tensor.Tensor;

/**
 * Which parameters the optimizer updates, and which of them get weight decay.
 *
 * <p>{@link #official}: the official {@code utils/init_func.group_weight}. It walks the modules
 * (parents before children, in registration order) and files parameters by the module's type:
 * <ul>
 * <li>Linear and Conv layers: weight → decay, bias → no decay;</li>
 * <li>LayerNorm and BatchNorm layers: weight and bias → no decay;</li>
 * <li>any other parameter is in <em>no group at all</em> and never changes.</li>
 * </ul>
 * (Its last branch asks whether a <em>module</em> is an {@code nn.Parameter}, which no module is.)
 * In CIPA that leaves out every parameter a module registers directly: the selective-scan
 * parameters {@code x_proj_weight}, {@code dt_projs_weight}, {@code dt_projs_bias}, {@code A_logs},
 * {@code Ds} of every SS2D/SS1D, and the decoder blocks' {@code scale1}, {@code scale2}. The
 * official training therefore keeps them at their initial (or pretrained) values.
 *
 * <p>{@link #all}: every parameter trains; weight decay is off for one-dimensional parameters and
 * for those the official code marks {@code _no_weight_decay} ({@code A_logs}, {@code Ds}), on for
 * the rest — the usual rule of timm/VMamba training.
 */
public final class ParamGroups {
    private ParamGroups() {}

    /** The groups of the official {@code group_weight}: [decay, no_decay]. */
    public static List<ParamGroup> official(Module model) {
        List<Map.Entry<String, Tensor>> decay = new ArrayList<>(), noDecay = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : model.namedModules()) {
            Module m = e.getValue();
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            if (m instanceof LinearLayer || m instanceof Conv2dLayer) {
                add(decay, seen, prefix, m, "weight");
                add(noDecay, seen, prefix, m, "bias");
            } else if (m instanceof LayerNormLayer || m instanceof BatchNorm2dLayer) {
                add(noDecay, seen, prefix, m, "weight");
                add(noDecay, seen, prefix, m, "bias");
            }
        }
        return List.of(new ParamGroup("decay", true, decay), new ParamGroup("no_decay", false, noDecay));
    }

    /** Every parameter: [decay (rank ≥ 2, not marked), no_decay (rank 1 or marked no-weight-decay)]. */
    public static List<ParamGroup> all(Module model) {
        List<Map.Entry<String, Tensor>> decay = new ArrayList<>(), noDecay = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules()) {
            Module m = e.getValue();
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            m.ownParameters().forEach((n, t) -> (t.rank() <= 1 || m.isNoWeightDecay(n) ? noDecay : decay).add(Map.entry(prefix + n, t)));
        }
        return List.of(new ParamGroup("decay", true, decay), new ParamGroup("no_decay", false, noDecay));
    }

    /** The model's parameters that no group holds, in state-dict order. */
    public static List<String> leftOut(Module model, List<ParamGroup> groups) {
        Set<Tensor> held = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : groups) for (var p : g.params()) held.add(p.getValue());
        List<String> out = new ArrayList<>();
        model.namedParameters().forEach((n, t) -> { if (!held.contains(t)) out.add(n); });
        return out;
    }

    private static void add(List<Map.Entry<String, Tensor>> group, Set<Tensor> seen, String prefix, Module m, String name) {
        Tensor t = m.parameter(name);
        if (t != null && seen.add(t)) group.add(Map.entry(prefix + name, t));
    }
}
