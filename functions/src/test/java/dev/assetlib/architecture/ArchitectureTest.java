package dev.assetlib.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of DESIGN.md, read from the imports (and fully qualified names) of src/main: the
 * application core and the store never depend on an adapter, transport types stay in their
 * adapter, and no package depends on itself through others.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Set<String> ADAPTERS = Set.of("dev.assetlib.api", "dev.assetlib.ingest", "dev.assetlib.upload",
            "dev.assetlib.workflow", "dev.assetlib.janitor");
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.assetlib(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    /** Each source file's package and text. */
    private static final Map<Path, String> TEXTS = new TreeMap<>();
    private static final Map<Path, String> PACKAGES = new TreeMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher m = PACKAGE.matcher(text);
                assertThat(m.find()).as("package declaration of %s", file).isTrue();
                TEXTS.put(file, text);
                PACKAGES.put(file, m.group(1));
            }
        }
        assertThat(TEXTS).as("sources under %s", SOURCES.toAbsolutePath()).hasSizeGreaterThan(50);
    }

    /** Package to the other dev.assetlib packages it refers to. */
    static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> graph = new TreeMap<>();
        TEXTS.forEach((file, text) -> {
            String from = PACKAGES.get(file);
            Set<String> to = graph.computeIfAbsent(from, p -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(withoutComments(text));
            while (m.find()) {
                if (!m.group(1).equals(from)) {
                    to.add(m.group(1));
                }
            }
        });
        return graph;
    }

    @Test
    void theApplicationCoreAndTheStoreImportNoAdapterAndNotTheCompositionRoot() {
        List<String> forbidden = new ArrayList<>();
        dependencies().forEach((from, tos) -> {
            if (from.startsWith("dev.assetlib.app") || from.equals("dev.assetlib.store") || from.equals("dev.assetlib.domain")) {
                for (String to : tos) {
                    if (isAdapter(to) || to.equals("dev.assetlib")) {
                        forbidden.add(from + " -> " + to);
                    }
                }
            }
        });
        assertThat(forbidden).isEmpty();
    }

    @Test
    void theCompositionRootImportsNoAdapter() {
        assertThat(dependencies().get("dev.assetlib")).noneMatch(ArchitectureTest::isAdapter);
    }

    @Test
    void httpEventTypesAppearOnlyInTheHttpAdapter() {
        List<String> outside = new ArrayList<>();
        TEXTS.forEach((file, text) -> {
            String pkg = PACKAGES.get(file);
            if (!pkg.equals("dev.assetlib.api") && text.contains("APIGatewayV2HTTP")) {
                outside.add(file.toString());
            }
        });
        assertThat(outside).isEmpty();
    }

    @Test
    void noLambdaEventTypeInTheApplicationCoreTheStoreOrTheDomain() {
        List<String> found = new ArrayList<>();
        TEXTS.forEach((file, text) -> {
            String pkg = PACKAGES.get(file);
            boolean core = pkg.startsWith("dev.assetlib.app") || pkg.equals("dev.assetlib.store") || pkg.equals("dev.assetlib.domain");
            if (core && (text.contains("com.amazonaws.services.lambda.runtime"))) {
                found.add(file.toString());
            }
        });
        assertThat(found).isEmpty();
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        assertThat(cycles(dependencies())).isEmpty();
    }

    @Test
    void theCycleCheckFindsACycle() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertThat(cycles(graph)).containsExactly(List.of("a", "b", "c"));
    }

    private static boolean isAdapter(String pkg) {
        return ADAPTERS.stream().anyMatch(a -> pkg.equals(a) || pkg.startsWith(a + "."));
    }

    /** The strongly connected components of more than one package (Tarjan), each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String node : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, onStack, out, next);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<List<String>> out, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]);
        next[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                component.sort(null);
                out.add(component);
            }
        }
    }

    private static String withoutComments(String text) {
        return text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }
}
