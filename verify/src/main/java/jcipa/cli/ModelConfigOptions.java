package jcipa.cli;

import jcipa.model.CipaConfig;
import picocli.CommandLine.Option;

/**
 * The options that choose a CIPA configuration, shared by the commands that build a model:
 * {@code --config tiny|small|base|custom} and, for a custom one, {@code --dims}, {@code --depths},
 * {@code --decoder-depths}.
 */
final class ModelConfigOptions {
    @Option(names = "--config", paramLabel = "NAME", description = "tiny, small, base or custom (default: tiny, or custom when --dims/--depths are given)")
    String config;

    @Option(names = "--dims", paramLabel = "D", description = "custom: encoder width C_0 (at least 30)")
    Integer dims;

    @Option(names = "--depths", paramLabel = "a,b,c,d", split = ",", description = "custom: encoder depths of the 4 stages")
    int[] depths;

    @Option(names = "--decoder-depths", paramLabel = "a,b,c,d", split = ",", description = "custom: decoder depths (default: 4,4,4,4)")
    int[] decoderDepths;

    /** The configuration for a square input of side {@code size}; {@code name} (or null) renames the case. */
    CipaConfig resolve(int size, String name) {
        boolean customOptions = dims != null || depths != null || decoderDepths != null;
        boolean custom = "custom".equals(config) || (config == null && customOptions);
        if (!custom && customOptions)
            throw new IllegalArgumentException("give either --config " + config + " or --dims/--depths (a custom configuration), not both");
        if (custom) {
            if (dims == null || depths == null) throw new IllegalArgumentException("a custom configuration needs --dims and --depths");
            int[] dec = decoderDepths != null ? decoderDepths : new int[] {4, 4, 4, 4};
            return new CipaConfig(name != null ? name : "custom", dims, depths, dec, size, 0.0);
        }
        CipaConfig c = CipaConfig.named(config != null ? config : "tiny", size);
        return name == null ? c : new CipaConfig(name, c.dims(), c.depths(), c.decoderDepths(), size, c.encoderDropPath());
    }
}
