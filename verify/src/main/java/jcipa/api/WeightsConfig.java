package jcipa.api;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jcipa.model.Cipa;
import jcipa.model.CipaConfig;
import jcipa.nn.StateDictLoader;
import jcipa.nn.StoredTensor;
import jcipa.tensor.DType;

/**
 * The CIPA size a state dict was saved from: dims from the patch embedding, encoder and decoder
 * depths from the block indices, and the image side from the channel rectification's width
 * (mlp.0 normalises H·W = (S/4)² values at stage 0, which is what ties the released weights to 512).
 * The decoder's fourth depth never builds blocks, so it is taken as the official 4.
 */
public final class WeightsConfig {
    private WeightsConfig() {}

    private static final Pattern ENCODER_BLOCK = Pattern.compile("^backbone\\.vssm\\.layers\\.(\\d)\\.blocks\\.(\\d+)\\.");
    private static final Pattern DECODER_BLOCK = Pattern.compile("^decode_head\\.layers_up\\.(\\d)\\.blocks\\.(\\d+)\\.");

    /** The configuration a state dict was saved from (IllegalArgumentException if it is not a CIPA state dict). */
    public static CipaConfig of(Map<String, StoredTensor> sd) {
        StoredTensor embed = sd.get("backbone.vssm.patch_embed.0.weight");
        StoredTensor crm = sd.get("backbone.cross_mamba.0.channel_weights.mlp.0.weight");
        if (embed == null || crm == null)
            throw new IllegalArgumentException("not a CIPA state dict: no backbone.vssm.patch_embed.0.weight or backbone.cross_mamba.0.channel_weights.mlp.0.weight");
        int dims = embed.shape()[0];
        int hw = crm.shape()[0], side = (int) Math.round(Math.sqrt(hw));
        if (side * side != hw) throw new IllegalArgumentException("CRM width " + hw + " is not a square number of positions");
        int[] depths = count(sd, ENCODER_BLOCK, false), dec = count(sd, DECODER_BLOCK, true);
        return new CipaConfig("from weights", dims, depths, dec, 4 * side, 0.0);
    }

    /** Why these weights take one input size only, ending "... run at SxS only". */
    public static String sizeRule(CipaConfig cfg) {
        int s = cfg.imageSize();
        return "their channel rectification (CRM) normalises " + (s / 4) * (s / 4) + " = (" + s / 4 + ")² positions at stage 0, i.e. a "
                + s + "x" + s + " input (side = 4 x sqrt(CRM width); CIPA.pth: 512), so they run at " + s + "x" + s + " only";
    }

    /** A CIPA of {@code cfg} holding the weights of {@code sd} (strict), in eval mode. */
    public static Cipa model(CipaConfig cfg, Map<String, StoredTensor> sd) {
        Cipa model = new Cipa(cfg, DType.F32);
        StateDictLoader.load(model, sd, true);
        model.eval();
        return model;
    }

    /** Blocks per stage; for the decoder, layers_up.k holds stage 3 − k and the last depth defaults to 4. */
    private static int[] count(Map<String, StoredTensor> sd, Pattern p, boolean decoder) {
        Map<Integer, Integer> max = new TreeMap<>();
        for (String k : sd.keySet()) {
            Matcher m = p.matcher(k);
            if (m.find()) max.merge(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) + 1, Math::max);
        }
        int[] d = new int[4];
        if (decoder) {
            d[3] = 4;
            for (int k = 1; k <= 3; k++) d[3 - k] = max.getOrDefault(k, 0);
        } else {
            for (int i = 0; i < 4; i++) d[i] = max.getOrDefault(i, 0);
        }
        return d;
    }
}
