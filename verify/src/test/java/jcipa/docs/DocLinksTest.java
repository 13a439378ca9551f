package jcipa.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/ssm-math.md and AUDIT.md point at code and tests by relative links; these tests make sure
 * the links resolve, the named methods exist, the named tests are tests, every formula of
 * ssm-math.md names its code and its tests, and AUDIT.md and AuditTest list the same entries.
 */
class DocLinksTest {
    static final Path ROOT = Path.of(System.getProperty("jcipa.root", "..")).toAbsolutePath().normalize();
    static final Path SSM_MATH = ROOT.resolve("docs/ssm-math.md"), AUDIT = ROOT.resolve("AUDIT.md");

    @Test
    void ssmMathLinksPointAtExistingCodeAndTests() {
        List<String> problems = DocLinks.check(SSM_MATH);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(DocLinks.links(DocLinks.read(SSM_MATH)).size() > 50, "ssm-math.md should link its code and tests");
    }

    /** Each formula block (a fence without a language) is followed, before the next block or heading, by Code: and Tests: lines. */
    @Test
    void everySsmMathFormulaNamesItsCodeAndTests() {
        List<String> problems = formulaProblems(DocLinks.read(SSM_MATH));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void auditLinksPointAtExistingCodeAndTests() {
        List<String> problems = DocLinks.check(AUDIT);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Every entry has a Test: line; the AuditTest methods AUDIT.md names are exactly AuditTest's tests. */
    @Test
    void auditEntriesAndAuditTestsMatchOneToOne() {
        List<String> lines = DocLinks.read(AUDIT);
        List<String> missing = new ArrayList<>();
        String entry = null;
        boolean hasTest = true;
        for (String line : lines) {
            if (line.startsWith("### ") || line.startsWith("## ")) {
                if (entry != null && !hasTest) missing.add(entry);
                entry = line.startsWith("### ") ? line : null;
                hasTest = false;
            }
            if (line.startsWith("- **Test:**")) hasTest = true;
        }
        if (entry != null && !hasTest) missing.add(entry);
        assertTrue(missing.isEmpty(), "entries without a Test: line " + missing);

        Set<String> named = new TreeSet<>();
        for (DocLinks.Link l : DocLinks.links(lines)) {
            Matcher m = DocLinks.TEST_REF.matcher(l.text());
            if (m.matches() && m.group(1).equals("AuditTest")) named.add(m.group(2));
        }
        Set<String> tests = new TreeSet<>(DocLinks.testMethods(DocLinks.read(ROOT.resolve("model/src/test/java/jcipa/model/AuditTest.java"))));
        assertEquals(tests, named, "AuditTest's tests vs the AuditTest entries of AUDIT.md");
    }

    /** The checker itself: a missing file, a missing method, a helper that is not a test, and a formula without its lines are all caught. */
    @Test
    void brokenReferencesAreCaught(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("FooTest.java"), String.join("\n",
                "class FooTest {", "    /** {@code x} */", "    @Test", "    void real() {}", "", "    void helper() {}",
                "    @Disabled", "    @Test", "    void off() {}", "}"));
        Files.writeString(dir.resolve("Foo.java"), "class Foo { static class Inner { void run() {} } }");
        Path page = dir.resolve("page.md");
        Files.writeString(page, String.join("\n",
                "[`FooTest#real`](FooTest.java) [`FooTest#helper`](FooTest.java) [`FooTest#off`](FooTest.java) [`FooTest#gone`](FooTest.java)",
                "[`Foo.Inner.run`](Foo.java) [`Foo.walk`](Foo.java) [`Foo.Outer.run`](Foo.java) [x](missing.md) [web](https://example.org)"));
        List<String> problems = DocLinks.check(page);
        assertEquals(6, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).contains("helper is not annotated"), problems.get(0));
        assertTrue(problems.get(1).contains("@Disabled"), problems.get(1));
        assertTrue(problems.get(2).contains("no method gone"), problems.get(2));
        assertTrue(problems.get(3).contains("no member walk"), problems.get(3));
        assertTrue(problems.get(4).contains("no type Outer"), problems.get(4));
        assertTrue(problems.get(5).contains("no file missing.md"), problems.get(5));
        assertEquals(Set.of("real"), DocLinks.testMethods(DocLinks.read(dir.resolve("FooTest.java"))));

        List<String> formula = List.of("## a", "```", "y = x", "```", "**Code:** [`Foo.walk`](Foo.java)", "## b", "```", "z = y", "```",
                "**Code:** [`Foo.walk`](x/src/main/Foo.java)", "**Tests:** [`FooTest#real`](FooTest.java)");
        List<String> fp = formulaProblems(formula);
        assertEquals(1, fp.size(), fp.toString());
        assertTrue(fp.get(0).contains("line 2"), fp.get(0));
    }

    static List<String> formulaProblems(List<String> lines) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).trim().equals("```")) continue;
            int start = i;
            i++;
            while (i < lines.size() && !lines.get(i).trim().startsWith("```")) i++;     // closing fence
            boolean code = false, tests = false;
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).startsWith("#") && !lines.get(j).trim().startsWith("```"); j++) {
                String s = lines.get(j);
                List<DocLinks.Link> links = DocLinks.links(List.of(s));
                if (s.startsWith("**Code:**") && links.stream().anyMatch(l -> l.target().contains("/src/main/"))) code = true;
                if (s.startsWith("**Tests:**") && links.stream().anyMatch(l -> DocLinks.TEST_REF.matcher(l.text()).matches())) tests = true;
            }
            if (!code || !tests)
                problems.add("formula at line " + (start + 1) + (code ? "" : ": no Code: line linking src/main") + (tests ? "" : ": no Tests: line naming a test"));
        }
        return problems;
    }
}
