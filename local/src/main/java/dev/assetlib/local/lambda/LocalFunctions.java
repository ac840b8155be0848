package dev.assetlib.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import dev.assetlib.Services;
import dev.assetlib.api.AssetQueryHandler;
import dev.assetlib.api.ManageHandler;
import dev.assetlib.api.NotFoundHandler;
import dev.assetlib.workflow.ReconcileHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.assetlib.api.ReviewQueueHandler;
import dev.assetlib.api.UploadHandler;
import dev.assetlib.api.WebhookHandler;
import dev.assetlib.webhooks.WebhookDeliveryHandler;
import dev.assetlib.api.UploadUrlHandler;
import dev.assetlib.auth.ApiKeyAuthorizerHandler;
import dev.assetlib.ingest.IngestHandler;
import dev.assetlib.janitor.AssetStreamHandler;
import dev.assetlib.local.sfn.LocalLambda;
import dev.assetlib.upload.S3UploadHandler;
import dev.assetlib.workflow.ReviewStartHandler;
import dev.assetlib.workflow.MediaTaskHandler;
import dev.assetlib.workflow.ReviewTaskHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The explicit registry of the template's handlers: handler class → how to build it from
 * {@link Services} with its collaborators (the constructor Lambda's no-argument one delegates to).
 * Each becomes a {@link LocalLambda} that takes and returns JSON bytes, serialized by the Java
 * Lambda runtime's own serializers, so a handler sees exactly the objects it would see in AWS.
 * A template handler missing here fails the start of the local stack with its name.
 */
public final class LocalFunctions {
    private static final Map<String, BiFunction<Services, LambdaFunctionInfo, LocalLambda>> FACTORIES = Map.ofEntries(
            Map.entry(UploadHandler.class.getName(),
                    (s, fn) -> pojo(new UploadHandler(s), APIGatewayV2HTTPEvent.class, fn)),
            Map.entry(AssetQueryHandler.class.getName(),
                    (s, fn) -> pojo(new AssetQueryHandler(s), APIGatewayV2HTTPEvent.class, fn)),
            Map.entry(ManageHandler.class.getName(),
                    (s, fn) -> pojo(new ManageHandler(s), APIGatewayV2HTTPEvent.class, fn)),
            Map.entry(ApiKeyAuthorizerHandler.class.getName(),
                    (s, fn) -> pojo(new ApiKeyAuthorizerHandler(s), APIGatewayV2CustomAuthorizerEvent.class, fn)),
            Map.entry(ReviewTaskHandler.class.getName(),
                    (s, fn) -> stream(new ReviewTaskHandler(s), fn)),
            Map.entry(MediaTaskHandler.class.getName(),
                    (s, fn) -> stream(new MediaTaskHandler(s), fn)),
            Map.entry(UploadUrlHandler.class.getName(),
                    (s, fn) -> pojo(new UploadUrlHandler(s), APIGatewayV2HTTPEvent.class, fn)),
            Map.entry(S3UploadHandler.class.getName(),
                    (s, fn) -> pojo(new S3UploadHandler(s), S3Event.class, fn)),
            Map.entry(IngestHandler.class.getName(),
                    (s, fn) -> pojo(new IngestHandler(s), SQSEvent.class, fn)),
            Map.entry(ReviewQueueHandler.class.getName(),
                    (s, fn) -> pojo(new ReviewQueueHandler(s), APIGatewayV2HTTPEvent.class, fn)),
            Map.entry(ReviewStartHandler.class.getName(),
                    (s, fn) -> pojo(new ReviewStartHandler(s), SQSEvent.class, fn)),
            // Registered so the template's function starts; no local table stream feeds it (yet).
            Map.entry(AssetStreamHandler.class.getName(),
                    (s, fn) -> pojo(new AssetStreamHandler(s), DynamodbEvent.class, fn)),
            Map.entry(ReconcileHandler.class.getName(),
                    (s, fn) -> pojo(new ReconcileHandler(s), ScheduledEvent.class, fn)),
            Map.entry(NotFoundHandler.class.getName(),
                    (s, fn) -> pojo(new NotFoundHandler(s), APIGatewayV2HTTPEvent.class, fn)),
            Map.entry(WebhookHandler.class.getName(),
                    (s, fn) -> pojo(new WebhookHandler(s), APIGatewayV2HTTPEvent.class, fn)),
            Map.entry(WebhookDeliveryHandler.class.getName(),
                    (s, fn) -> pojo(new WebhookDeliveryHandler(s), SQSEvent.class, fn)));

    private LocalFunctions() {
    }

    /** Handler classes the local stack can run. */
    public static Set<String> handlerClasses() {
        return new TreeSet<>(FACTORIES.keySet());
    }

    /**
     * Builds the function for a template {@code Handler:} value ({@code package.Class::method}).
     *
     * @throws IllegalStateException naming the handler if the registry does not know it
     */
    public static LocalLambda create(String handler, Services services, LambdaFunctionInfo function) {
        int colons = handler.indexOf("::");
        String className = colons < 0 ? handler : handler.substring(0, colons);
        var factory = FACTORIES.get(className);
        if (factory == null) {
            throw new IllegalStateException("template.yaml function " + function.name() + " has Handler " + handler
                    + ", which the local stack cannot run: register " + className + " in "
                    + LocalFunctions.class.getName());
        }
        if (colons >= 0 && !handler.substring(colons + 2).equals("handleRequest")) {
            throw new IllegalStateException("Handler " + handler + ": the local stack calls handleRequest only");
        }
        return factory.apply(services, function);
    }

    /** A RequestHandler, with the serializer the Java runtime picks for its input and output types. */
    static <I, O> LocalLambda pojo(RequestHandler<I, O> handler, Class<I> inputType, LambdaFunctionInfo function) {
        PojoSerializer<I> input = serializer(inputType);
        return payload -> {
            I event = input.fromJson(new ByteArrayInputStream(payload));
            O result = handler.handleRequest(event, new LocalContext(function));
            if (result == null) {
                return "null".getBytes();
            }
            @SuppressWarnings("unchecked")
            PojoSerializer<O> output = serializer((Class<O>) result.getClass());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            output.toJson(result, out);
            return out.toByteArray();
        };
    }

    static LocalLambda stream(RequestStreamHandler handler, LambdaFunctionInfo function) {
        return payload -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(payload), out, new LocalContext(function));
            return out.toByteArray();
        };
    }

    /** The runtime's choice: its event serializers for the events it knows, plain Jackson otherwise. */
    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return LambdaEventSerializers.serializerFor(type, LocalFunctions.class.getClassLoader());
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }
}
