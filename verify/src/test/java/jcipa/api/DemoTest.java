package jcipa.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6, Done-when 2: the bundled weights reach IoU ≥ 0.80 on the held-out phantoms, overlays are written, the goldens pass. */
class DemoTest {
    static final Path ROOT = ReadmeExampleTest.ROOT;

    @Test
    void theBundledWeightsSegmentTheHeldOutPhantomsAndTheGoldensPass(@TempDir Path out) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Demo.Result r = Demo.run(ROOT.resolve("demo"), ROOT.resolve("golden"), out, false, Progress.NONE, new PrintStream(text, true, StandardCharsets.UTF_8));
        assertTrue(r.evaluation().set().iou() >= 0.80, "IoU on held-out phantoms: " + r.evaluation().set().iou());
        assertEquals(Demo.heldOut(jcipa.data.Pclt20k.open(ROOT.resolve("demo/phantoms"))).size(), r.overlays().size());
        for (Path p : r.overlays()) assertTrue(Files.size(p) > 1000, p.toString());
        assertTrue(Files.exists(out.resolve(EvalOutput.GALLERY)));
        assertTrue(r.conforms(), text.toString(StandardCharsets.UTF_8));
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("IoU"));

        IOException e = assertThrows(IOException.class, () -> Demo.run(ROOT.resolve("demo"), ROOT.resolve("golden"), out, false, Progress.NONE,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    }
}
