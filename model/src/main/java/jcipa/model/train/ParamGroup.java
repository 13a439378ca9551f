package jcipa.model.train;

import java.util.List;
import java.util.Map;

import jcipa.tensor.Tensor;

/**
 * A group of parameters that share optimizer settings, as a PyTorch param group: {@code decay}
 * says whether the optimizer's weight decay applies (the official "no decay" group sets it to 0).
 *
 * @param name   a label ({@code decay}, {@code no_decay})
 * @param decay  whether weight decay applies to this group
 * @param params the parameters by full state-dict name, in the order the group lists them
 */
public record ParamGroup(String name, boolean decay, List<Map.Entry<String, Tensor>> params) {
    public ParamGroup {
        params = List.copyOf(params);
    }

    /** The parameter names, in order. */
    public List<String> names() { return params.stream().map(Map.Entry::getKey).toList(); }
}
