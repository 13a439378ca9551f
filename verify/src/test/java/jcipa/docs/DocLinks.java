package jcipa.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the links of a Markdown page against the repository: every relative link must point at
 * an existing file; a link whose text is {@code Class#method} must point at Class.java and name a
 * test method there (annotated @Test, @Property, @ParameterizedTest, @RepeatedTest or @Example, and
 * not @Disabled); a link whose text is {@code Class.member} (or {@code Class.Inner.member}) must
 * point at Class.java, which must declare the member (and the inner types).
 */
final class DocLinks {
    private DocLinks() {}

    static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\(([^)\\s]+)\\)");
    static final Pattern TEST_REF = Pattern.compile("^([A-Z]\\w*)#(\\w+)$");
    static final Pattern CODE_REF = Pattern.compile("^([A-Z]\\w*)((?:\\.\\w+)+)$");
    private static final Set<String> TEST_ANNOTATIONS = Set.of("@Test", "@Property", "@ParameterizedTest", "@RepeatedTest", "@Example");

    record Link(int line, String text, String target) {}

    static List<Link> links(List<String> lines) {
        List<Link> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINK.matcher(lines.get(i));
            while (m.find()) out.add(new Link(i + 1, m.group(1).replace("`", "").trim(), m.group(2)));
        }
        return out;
    }

    /** Problems with the links of {@code page} (empty if none). */
    static List<String> check(Path page) {
        List<String> lines = read(page);
        List<String> problems = new ArrayList<>();
        for (Link l : links(lines)) {
            if (l.target().matches("^[a-z]+:.*") || l.target().startsWith("#")) continue;
            String where = page.getFileName() + ":" + l.line() + " [" + l.text() + "]";
            Path file = page.getParent().resolve(l.target().replaceAll("#.*$", "")).normalize();
            if (!Files.exists(file)) { problems.add(where + ": no file " + l.target()); continue; }
            Matcher t = TEST_REF.matcher(l.text()), c = CODE_REF.matcher(l.text());
            if (t.matches()) {
                if (!file.getFileName().toString().equals(t.group(1) + ".java")) problems.add(where + ": points at " + file.getFileName());
                else {
                    String why = testMethodProblem(read(file), t.group(2));
                    if (why != null) problems.add(where + ": " + why);
                }
            } else if (c.matches()) {
                if (!file.getFileName().toString().equals(c.group(1) + ".java")) { problems.add(where + ": points at " + file.getFileName()); continue; }
                String source = String.join("\n", read(file));
                String[] parts = c.group(2).substring(1).split("\\.");
                for (int i = 0; i < parts.length - 1; i++)
                    if (!Pattern.compile("\\b(class|record|interface|enum)\\s+" + parts[i] + "\\b").matcher(source).find())
                        problems.add(where + ": no type " + parts[i] + " in " + file.getFileName());
                String member = parts[parts.length - 1];
                if (!Pattern.compile("\\b" + member + "\\s*\\(").matcher(source).find() && !Pattern.compile("\\b" + member + "\\s*[=;,]").matcher(source).find())
                    problems.add(where + ": no member " + member + " in " + file.getFileName());
            }
        }
        return problems;
    }

    /** Null if {@code name} is a test method of the source, else why not. */
    static String testMethodProblem(List<String> source, String name) {
        Pattern decl = Pattern.compile("^\\s*(?:(?:public|protected|private|static|final)\\s+)*void\\s+" + name + "\\s*\\(");
        for (int i = 0; i < source.size(); i++) {
            if (!decl.matcher(source.get(i)).find()) continue;
            // the lines between the previous member (or the class header) and this declaration
            int indent = indent(source.get(i));
            Set<String> annotations = new LinkedHashSet<>();
            for (int j = i - 1; j >= 0; j--) {
                String raw = source.get(j), s = raw.trim();
                if (s.isEmpty()) continue;
                int in = indent(raw);
                boolean memberEnd = in <= indent && !s.startsWith("*") && !s.startsWith("/") && (s.endsWith("}") || s.endsWith(";"));
                boolean header = in < indent && s.endsWith("{");
                if (memberEnd || header) break;
                if (s.startsWith("@")) annotations.add(s.replaceAll("[(\\s].*$", ""));
            }
            if (annotations.contains("@Disabled")) return "test " + name + " is @Disabled";
            for (String a : annotations) if (TEST_ANNOTATIONS.contains(a)) return null;
            return name + " is not annotated as a test";
        }
        return "no method " + name;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') n++;
        return n;
    }

    /** The test methods (by name) of a Java source file. */
    static Set<String> testMethods(List<String> source) {
        Set<String> out = new LinkedHashSet<>();
        Pattern decl = Pattern.compile("^\\s*(?:(?:public|protected|private|static|final)\\s+)*void\\s+(\\w+)\\s*\\(");
        for (String line : source) {
            Matcher m = decl.matcher(line);
            if (m.find() && testMethodProblem(source, m.group(1)) == null) out.add(m.group(1));
        }
        return out;
    }

    static List<String> read(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
