package jcipa.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import jcipa.nn.Module;
import jcipa.nn.ModuleList;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;
import jcipa.tensor.ops.Pointwise;

/**
 * The dual-modality encoder ({@code backbone}, the official RGBXTransformer): one VMamba encoder
 * run on CT and then on PET with shared weights; at each stage i the channel rectification
 * module (CRM) re-weights both modalities' channels, DCIM's stem cuts them into CT local tokens
 * and PET regional tokens, the region-global block mixes them, and the fused feature is
 * {@code ct_i + pet_i + DCIM_i} — with ct_i, pet_i the encoder outputs before the CRM (the CRM
 * only feeds DCIM).
 */
public final class CipaBackbone extends Module {
    private final VssmEncoder vssm;
    private final ModuleList<ChannelRectification> crossMamba;
    private final ModuleList<RegionGlobalBlock> channelAttnMamba;
    private final ModuleList<RegionStem> regionPatch;

    public CipaBackbone(CipaConfig cfg, DType dt) {
        vssm = child("vssm", new VssmEncoder(cfg.dims(), cfg.depths(), cfg.encoderDropPath(), dt));
        crossMamba = child("cross_mamba", new ModuleList<>());
        channelAttnMamba = child("channel_attn_mamba", new ModuleList<>());
        regionPatch = child("region_patch", new ModuleList<>());
        for (int i = 0; i < 4; i++) {
            int side = cfg.side(i);
            crossMamba.add(new ChannelRectification(cfg.channels(i), side * side, dt));
        }
        for (int i = 0; i < 4; i++) channelAttnMamba.add(new RegionGlobalBlock(cfg.channels(i), cfg.channels(i), 16, 0.0, dt));
        for (int i = 0; i < 4; i++) regionPatch.add(new RegionStem(cfg.channels(i), cfg.channels(i), dt));
    }

    public VssmEncoder encoder() { return vssm; }

    /** The four fused features (B, C_i, H_i, W_i) from CT and PET images (B, 3, S, S). */
    public List<Tensor> forward(Tensor ct, Tensor pet, SplittableRandom rng) {
        List<Tensor> outsCt = vssm.forward(ct, rng);
        List<Tensor> outsPet = vssm.forward(pet, rng);
        List<Tensor> fused = new ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            Tensor c = outsCt.get(i), p = outsPet.get(i);
            ChannelRectification.Pair rect = crossMamba.get(i).forward(c, p);
            RegionStem.Tokens tokens = regionPatch.get(i).forward(rect.ct(), rect.pet());
            Tensor mixed = channelAttnMamba.get(i).forward(tokens);        // channels-last
            Tensor sum = c.add(p), mixedNchw = mixed.permute(0, 3, 1, 2);
            fused.add(InPlace.allowed(sum) ? Pointwise.addInPlace(sum, mixedNchw) : sum.add(mixedNchw));
        }
        return fused;
    }

    ChannelRectification crm(int i) { return crossMamba.get(i); }

    RegionStem stem(int i) { return regionPatch.get(i); }

    RegionGlobalBlock regionGlobal(int i) { return channelAttnMamba.get(i); }

}
