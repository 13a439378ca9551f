package jcipa.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jcipa.nn.StateDictLoader;
import jcipa.tensor.DType;
import jcipa.tensor.Tensor;

/** VSS blocks (and so SS2D) of the mini model against the official GPU build's captures. */
class VSSBlockGoldenTest {
    static VSSBlock load(String path, int dim, DType dt) {
        VSSBlock block = new VSSBlock(dim, 16, 0.0, dt);
        StateDictLoader.load(block, MiniGolden.weightsUnder(path), true);
        block.eval();
        return block;
    }

    @ParameterizedTest
    @CsvSource({
        "backbone.vssm.layers.0.blocks.0, 32, 0",
        "backbone.vssm.layers.0.blocks.0, 32, 1",
        "backbone.vssm.layers.1.blocks.0, 64, 0",
        "backbone.vssm.layers.2.blocks.1, 128, 0",
        "backbone.vssm.layers.2.blocks.1, 128, 1",
        "backbone.vssm.layers.3.blocks.0, 256, 1",
    })
    void blockMatchesCapture(String path, int dim, int call) {
        VSSBlock block = load(path, dim, DType.F32);
        Tensor out = block.forward(MiniGolden.act(path, call, "in0"));
        double err = MiniGolden.relativeError(out, MiniGolden.act(path, call, "out0"));
        System.out.printf("%s#%d float32 relative error %.3e%n", path, call, err);
        assertTrue(err <= 1e-4, path + "#" + call + ": relative error " + err);
    }

    @ParameterizedTest
    @CsvSource({"backbone.vssm.layers.0.blocks.0, 32, 1"})
    void float64BlockMatchesCapture(String path, int dim, int call) {
        VSSBlock block = load(path, dim, DType.F64);
        Tensor out = block.forward(MiniGolden.act(path, call, "in0").to(DType.F64));
        double err = MiniGolden.relativeError(out, MiniGolden.act(path, call, "out0"));
        System.out.printf("%s#%d float64 relative error %.3e%n", path, call, err);
        assertTrue(err <= 1e-4, path + "#" + call + ": relative error " + err);
    }
}
