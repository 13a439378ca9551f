package jcipa.model;

import jcipa.nn.BatchNorm2dLayer;
import jcipa.nn.Conv2dLayer;
import jcipa.nn.Module;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/**
 * A chain of (Conv3×3 with bias, padding 1) → BatchNorm2d(eps 1e-5, momentum 0.1) → ReLU stages,
 * named as a PyTorch {@code nn.Sequential} of those modules names them: stage k's conv is child
 * {@code 3k}, its norm {@code 3k+1} (the ReLU at {@code 3k+2} has no state).
 */
final class ConvBnReluStack extends Module {
    static final double BN_EPS = 1e-5, BN_MOMENTUM = 0.1;

    private final Conv2dLayer[] convs;
    private final BatchNorm2dLayer[] norms;

    /**
     * @param channels channel counts c0 → c1 → … → cL (L stages)
     * @param strides  stride of each stage's convolution
     */
    ConvBnReluStack(int[] channels, int[] strides, DType dt) {
        int stages = strides.length;
        if (channels.length != stages + 1)
            throw new IllegalArgumentException("ConvBnReluStack: " + channels.length + " channel counts for " + stages + " stages");
        for (int c : channels)
            if (c <= 0) throw new IllegalArgumentException("ConvBnReluStack: channel counts must be positive, got " + java.util.Arrays.toString(channels));
        convs = new Conv2dLayer[stages];
        norms = new BatchNorm2dLayer[stages];
        for (int k = 0; k < stages; k++) {
            convs[k] = child(String.valueOf(3 * k), new Conv2dLayer(channels[k], channels[k + 1], 3, strides[k], 1, 1, true, dt));
            norms[k] = child(String.valueOf(3 * k + 1), new BatchNorm2dLayer(channels[k + 1], BN_EPS, BN_MOMENTUM, dt));
        }
    }

    /** x (B, c0, H, W) → (B, cL, H', W'), each stride-s stage giving ⌈H/s⌉. */
    Tensor forward(Tensor x) {
        for (int k = 0; k < convs.length; k++) x = norms[k].forward(convs[k].forward(x)).relu();
        return x;
    }
}
