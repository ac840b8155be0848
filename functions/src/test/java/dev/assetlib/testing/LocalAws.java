package dev.assetlib.testing;

import dev.assetlib.aws.AwsClients;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension for tests against DynamoDB Local and ElasticMQ: both are started once per
 * JVM ({@link LocalDynamoDb}, {@link LocalSqs}) and reached with one set of clients for the whole
 * run; each test gets its own empty table and queue. Declare {@code @ExtendWith(LocalAws.class)}
 * and take a {@code LocalAws} parameter: in a {@code @BeforeEach} (or a test) its {@link #table()}
 * and {@link #fifoQueue()} are that test's own; in a {@code @BeforeAll} they are the class's, for
 * tests that share data they create once.
 */
public final class LocalAws implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalAws.class);
    private static AwsClients clients;

    private final ExtensionContext context;

    /** The extension itself (JUnit makes it). */
    public LocalAws() {
        this.context = null;
    }

    private LocalAws(ExtensionContext context) {
        this.context = context;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == LocalAws.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return new LocalAws(extension);
    }

    /** Clients against DynamoDB Local and ElasticMQ with dummy credentials, shared by the whole run (never close them). */
    public static synchronized AwsClients sharedClients() {
        if (clients == null) {
            AwsClients made = LocalDynamoDb.clients();
            Runtime.getRuntime().addShutdownHook(new Thread(made::close));
            clients = made;
        }
        return clients;
    }

    public AwsClients clients() {
        return sharedClients();
    }

    /** An empty assets table with the production key schema, this test's (or this class's) own. */
    public String table() {
        return own("table", () -> LocalDynamoDb.newTable(clients()));
    }

    /** An empty FIFO completion queue like the template's, this test's (or this class's) own. */
    public String fifoQueue() {
        return own("fifoQueue", () -> LocalSqs.newFifoQueue(clients().sqs()));
    }

    private String own(String what, java.util.function.Supplier<String> make) {
        // Keyed by this context's id: a store also shows its parents' values, and a test must not get its class's table.
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(what + "@" + context.getUniqueId(), k -> make.get(), String.class);
    }
}
