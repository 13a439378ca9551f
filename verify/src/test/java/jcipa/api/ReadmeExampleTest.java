package jcipa.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jcipa.data.Pclt20k;
import jcipa.data.Png8;
import jcipa.model.CipaConfig;

/**
 * The README's "Java API" example is the code between the README markers below, character for
 * character (so it compiles), and it runs on the demo bundle ({@code demo = Path.of("demo")} from the repository root).
 */
class ReadmeExampleTest {
    static final Path ROOT = Path.of(System.getProperty("jcipa.root", "..")).toAbsolutePath().normalize();

    static void example(Path demo, Path out) throws IOException {
        // README:begin segment
        Segmenter net = Segmenter.load(demo.resolve("weights.safetensors"));    // read the weights once
        Pclt20k data = Pclt20k.open(demo.resolve("phantoms"));                  // <case>/<name>_CT.png, _PET.png, _mask.png
        String name = data.split("test").getFirst();

        Segmentation seg = net.segment(data.pet(name), data.ct(name));         // one PET/CT pair
        Png8.write(out.resolve(name + "_mask.png"), seg.maskImage());           // 255 where σ·255 > 127.5
        ImageScore one = seg.score(name, Png8.read(data.mask(name)));          // IoU, F1, Acc, HD95 of this image
        System.out.printf("%s: IoU %.3f, HD95 %.2f%n", name, one.iou(), one.hd95());

        Evaluation ev = Evaluation.run(net, data, data.split("test"), false, Progress.NONE);
        System.out.print(ev.table());                                           // pooled as pred.py pools them
        // README:end segment
        assertEquals(data.split("test").size(), ev.images().size());
        assertTrue(Files.exists(out.resolve(name + "_mask.png")));
    }

    /** Compiled, not run here (TrainResumeTest runs the trainer). */
    static void trainExample() throws IOException {
        // README:begin train
        CipaConfig small = new CipaConfig("small-demo", 32, new int[] {1, 1, 1, 1}, new int[] {1, 1, 1, 1}, 128, 0.0);
        TrainOptions opts = TrainOptions.official(Path.of("phantoms"), small);   // batch 4, 50 epochs, AdamW 6e-5, cosine
        Trainer trainer = Trainer.start(opts, Path.of("run"));                   // or Trainer.resume(Path.of("run"), null)
        trainer.run(0, new ProgressBar(System.err, "train"));                    // checkpoints each epoch into run/
        Segmenter trained = Segmenter.of(trainer.model());
        // README:end train
        assertTrue(trained.config().imageSize() == 128);
    }

    @Test
    void theReadmeShowsExactlyTheseExamples() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (String block : List.of("segment", "train")) {
            String code = String.join("\n", block(block));
            assertTrue(readme.contains(code), "README.md must contain the '" + block + "' example exactly:\n" + code);
        }
    }

    @Test
    void theSegmentExampleRunsOnTheDemoBundle(@TempDir Path out) throws IOException {
        assertTrue(Files.exists(ROOT.resolve("demo/weights.safetensors")), "the demo bundle is part of the repository");
        example(ROOT.resolve("demo"), out);
    }

    /** The lines between "// README:begin NAME" and "// README:end NAME" of this file, indentation removed. */
    static List<String> block(String name) throws IOException {
        List<String> src = Files.readAllLines(ROOT.resolve("verify/src/test/java/jcipa/api/ReadmeExampleTest.java"));
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : src) {
            if (l.strip().equals("// README:begin " + name)) { in = true; continue; }
            if (l.strip().equals("// README:end " + name)) break;
            if (in) out.add(l.length() >= 8 ? l.substring(8) : l.strip());
        }
        assertTrue(!out.isEmpty(), "no block " + name);
        return out;
    }
}
