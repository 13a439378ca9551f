package jcipa.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void showsCountPercentRateAndEta() {
        assertEquals("[############------------] 50/100  50% 5.00 it/s ETA 0:10  loss 0.5", ProgressBar.render(50, 100, 10, 50, "loss 0.5"));
        assertEquals("[------------------------] 0/10   0% 0.00 it/s ETA ?", ProgressBar.render(0, 10, 0, 0, ""));
        assertEquals("1:01:01", ProgressBar.clock(3661));
    }

    @Test
    void redrawsOneLineWithCarriageReturnsAndEndsIt() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(b, true, StandardCharsets.UTF_8), "eval");
        bar.update(1, 2, "");
        bar.update(2, 2, "");
        bar.finish();
        String s = b.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\reval [") && s.contains("\reval [########################] 2/2 100%") && s.endsWith("\n"), s);
        assertEquals(1, s.chars().filter(c -> c == '\n').count());
    }
}
