package dev.assetlib.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assetlib.local.lambda.LocalFunctions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real template.yaml, read the way the local stack reads it. */
class TemplateRoutesTest {
    static final SamTemplate TEMPLATE = SamTemplate.load(Path.of("..", "template.yaml"));
    static final TemplateValues VALUES = new TemplateValues(TEMPLATE, Map.of(), Map.of());

    @Test
    void everyTemplateRouteAndTheAuthorizerResolveToARegisteredHandler() {
        HttpApiDefinition api = HttpApiDefinition.fromTemplate(TEMPLATE, VALUES);

        assertThat(api.routes()).isNotEmpty();
        assertThat(api.routes()).allSatisfy(route -> {
            assertThat(LocalFunctions.handlerClasses()).as("handler of %s", route.routeKey()).contains(route.handlerClass());
            // Every route but $default (40401 for anything unmatched: it reads nothing) is behind the authorizer.
            assertThat(route.authorized()).as("%s is behind the authorizer", route.routeKey())
                    .isEqualTo(!route.routeKey().equals(HttpApiRoute.DEFAULT));
        });
        assertThat(api.routes()).filteredOn(r -> r.routeKey().equals(HttpApiRoute.DEFAULT)).singleElement()
                .satisfies(r -> assertThat(r.handlerClass()).isEqualTo("dev.assetlib.api.NotFoundHandler"));
        assertThat(api.routes()).extracting(HttpApiRoute::routeKey).contains(
                "POST /kyyReactApiServer/kyyVideo2/asset/upload",
                "GET /kyyReactApiServer/kyyVideo2/asset/{assetId}");
        HttpApiDefinition.Authorizer authorizer = api.authorizer().orElseThrow();
        assertThat(LocalFunctions.handlerClasses()).contains(authorizer.handler().split("::")[0]);
        assertThat(authorizer.identityHeaders()).containsExactly("Authorization");
        assertThat(authorizer.cacheTtl()).isEqualTo(Duration.ofSeconds(Long.parseLong(TEMPLATE.parameterDefault("AuthorizerCacheSeconds"))));
    }

    @Test
    void everyFunctionHandlerOfTheTemplateIsRegistered() {
        TEMPLATE.resources("AWS::Serverless::Function").keySet().forEach(id -> {
            String handler = TEMPLATE.functionProperty(id, "Handler").orElseThrow().asText();
            assertThat(LocalFunctions.handlerClasses()).as("handler of %s", id).contains(handler.split("::")[0]);
        });
    }

    @Test
    void anUnregisteredHandlerFailsNamingIt() {
        assertThatThrownBy(() -> LocalFunctions.create("dev.assetlib.api.NewHandler::handleRequest", null,
                new dev.assetlib.local.lambda.LambdaFunctionInfo("NewFunction", "arn", Duration.ofSeconds(3), 128)))
                .hasMessageContaining("dev.assetlib.api.NewHandler").hasMessageContaining("NewFunction");
    }

    @Test
    void shortTagsBecomeTheirLongForms() {
        SamTemplate t = SamTemplate.parse(Path.of("t.yaml"), """
                Parameters:
                  Size: {Type: Number, Default: 5}
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                    Properties:
                      A: !Ref Size
                      B: !GetAtt Other.Arn
                      C: !Sub arn:${AWS::Region}:${Size}
                      D: !If [Cond, [!Ref Size], !Ref AWS::NoValue]
                """);
        var props = t.root().path("Resources").path("Q").path("Properties");
        assertThat(props.path("A").toString()).isEqualTo("{\"Ref\":\"Size\"}");
        assertThat(props.path("B").toString()).isEqualTo("{\"Fn::GetAtt\":[\"Other\",\"Arn\"]}");
        assertThat(props.path("D").toString()).isEqualTo("{\"Fn::If\":[\"Cond\",[{\"Ref\":\"Size\"}],{\"Ref\":\"AWS::NoValue\"}]}");

        TemplateValues values = new TemplateValues(t, Map.of(), Map.of("AWS::Region", "us-east-1", "Other.Arn", "arn:other"));
        assertThat(values.resolve(props.path("A"))).isEqualTo("5");
        assertThat(values.resolve(props.path("B"))).isEqualTo("arn:other");
        assertThat(values.resolve(props.path("C"))).isEqualTo("arn:us-east-1:5");
        assertThat(new TemplateValues(t, Map.of("Size", "7"), Map.of()).resolve(props.path("A"))).isEqualTo("7");
        assertThatThrownBy(() -> values.resolve(props.path("D"))).hasMessageContaining("Fn::If");
        assertThatThrownBy(() -> new TemplateValues(t, Map.of("Nope", "1"), Map.of())).hasMessageContaining("Nope");
    }

    @Test
    void theMostSpecificRouteWins() {
        SamTemplate t = SamTemplate.parse(Path.of("t.yaml"), """
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: x.H::handleRequest
                      Events:
                        Any: {Type: HttpApi, Properties: {Method: ANY, Path: '/items/{proxy+}'}}
                        One: {Type: HttpApi, Properties: {Method: GET, Path: '/items/{id}'}}
                        Exact: {Type: HttpApi, Properties: {Method: GET, Path: /items/special}}
                """);
        HttpApiDefinition api = HttpApiDefinition.fromTemplate(t, new TemplateValues(t, Map.of(), Map.of()));

        assertThat(api.select("GET", "/items/special").orElseThrow().route().path()).isEqualTo("/items/special");
        HttpApiDefinition.Match one = api.select("GET", "/items/a%20b").orElseThrow();
        assertThat(one.route().path()).isEqualTo("/items/{id}");
        assertThat(one.pathParameters()).containsEntry("id", "a b");
        assertThat(api.select("DELETE", "/items/a/b").orElseThrow().pathParameters()).containsEntry("proxy", "a/b");
        assertThat(api.select("GET", "/other")).isEmpty();
        assertThat(one.route().authorized()).isFalse(); // no authorizer in this template
    }
}
