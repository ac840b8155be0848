package dev.assetlib;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * template.yaml deploys every function from a package `./mvnw package` laid out
 * (functions/target/lambda/<group>/, taken as it is by sam build: Metadata SkipBuild), and that
 * package holds the function's handler class. A function pointed at a missing group, at the source
 * tree or at a package without its handler fails here, not at its first invocation in AWS.
 */
@Tag("packages")
class FunctionPackagesTemplateTest {
    static final Path PROJECT = Path.of("..");
    static final String PREFIX = "functions/target/lambda/";

    static Map<String, JsonNode> functions() throws IOException {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(PROJECT.resolve("template.yaml").toFile());
        Map<String, JsonNode> out = new LinkedHashMap<>();
        template.path("Resources").fields().forEachRemaining(e -> {
            if ("AWS::Serverless::Function".equals(e.getValue().path("Type").asText())) {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    @Test
    void everyFunctionRunsFromAPrebuiltPackageThatHoldsItsHandlerClass() throws IOException {
        Map<String, JsonNode> functions = functions();
        assertThat(functions).hasSizeGreaterThanOrEqualTo(10);
        for (var e : functions.entrySet()) {
            String name = e.getKey();
            JsonNode props = e.getValue().path("Properties");
            String codeUri = props.path("CodeUri").asText("");
            assertThat(e.getValue().path("Metadata").path("SkipBuild").asBoolean(false))
                    .as(name + " Metadata SkipBuild (sam build takes the package as ./mvnw package laid it out)").isTrue();
            assertThat(codeUri).as(name + " CodeUri").matches("functions/target/lambda/[a-z0-9-]+/?");
            Path dir = PROJECT.resolve(codeUri);
            assertThat(dir.resolve("lib")).as(name + ": " + codeUri + "lib (run ./mvnw package)").isDirectory();
            String handler = props.path("Handler").asText("");
            assertThat(handler).as(name + " Handler").contains("::");
            String className = handler.substring(0, handler.indexOf("::"));
            assertThat(dir.resolve(className.replace('.', '/') + ".class")).as(name + ": " + handler + " in " + codeUri).isRegularFile();
        }
    }

    /** One package per group, each deployed: a group no function uses is a build for nothing. */
    @Test
    void everyPackageGroupIsTheCodeOfSomeFunction() throws IOException {
        Set<String> used = new TreeSet<>();
        for (JsonNode fn : functions().values()) {
            String codeUri = fn.path("Properties").path("CodeUri").asText("");
            used.add(codeUri.substring(PREFIX.length()).replace("/", ""));
        }
        Set<String> built = new TreeSet<>();
        try (Stream<Path> groups = Files.list(FunctionPackageSizeTest.PACKAGES)) {
            groups.filter(Files::isDirectory).forEach(g -> built.add(g.getFileName().toString()));
        }
        assertThat(built).isEqualTo(used);
    }

    /** Globals must not give a CodeUri back: a function without its own would deploy the source tree. */
    @Test
    void noFunctionInheritsACodeUriFromGlobals() throws IOException {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(PROJECT.resolve("template.yaml").toFile());
        assertThat(template.path("Globals").path("Function").has("CodeUri")).isFalse();
    }
}
