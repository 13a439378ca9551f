package jcipa.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void officialDefaultIsACosineFromTheBaseRateToTheEndFactor() {
        LrSchedule s = LrSchedule.official(100, 50);
        assertEquals(5000, s.totalSteps());
        assertEquals(1.0, s.factor(0), 1e-15);
        assertEquals(1e-6, s.factor(5000), 1e-15);
        assertEquals((1 + 1e-6) / 2, s.factor(2500), 1e-15);              // cos(π/2) = 0
        assertEquals(6e-5 * ((1 + Math.cos(Math.PI / 4)) / 2 * (1 - 1e-6) + 1e-6), s.lr(6e-5, 1250), 1e-18);
        for (long x = 1; x <= 5000; x++) assertTrue(s.factor(x) < s.factor(x - 1), "decreasing at " + x);
    }

    @Test
    void warmupRisesLinearlyThenTheCosineStartsFromOne() {
        LrSchedule s = LrSchedule.officialWithWarmup(10, 20, 5);              // 50 warm-up steps, 150 cosine steps
        assertEquals(1e-3, s.factor(0), 1e-15);
        assertEquals(1e-3 * 0.5 + 0.5, s.factor(25), 1e-15);
        assertEquals(1.0, s.factor(50), 1e-15);
        assertEquals((1 + Math.cos(Math.PI / 150)) / 2 * (1 - 1e-6) + 1e-6, s.factor(51), 1e-15);
        assertEquals(1e-6, s.factor(200), 1e-15);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.official(0, 5));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.official(5, 0));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.officialWithWarmup(5, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.official(5, 5).factor(-1));
    }
}
