package dev.assetlib.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.NodeAddress;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scalikejdbc.ConnectionPool$;
import scalikejdbc.ConnectionPoolSettings;
import scala.collection.immutable.List$;
import scala.concurrent.Await;

/**
 * ElasticMQ, an SQS-compatible server, in this process on 127.0.0.1: in memory, or with its queues
 * and their messages kept in an H2 database under the data dir (ElasticMQ's own SQL persistence,
 * as its standalone server's {@code messages-storage}), so unconsumed messages survive a restart.
 */
final class ElasticMq implements AutoCloseable {
    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);

    private final SQSRestServer server;
    private final ActorSystem actors;
    private final int port;

    private ElasticMq(SQSRestServer server, ActorSystem actors, int port) {
        this.server = server;
        this.actors = actors;
        this.port = port;
    }

    /** @param port the port, or 0 for a free one */
    static ElasticMq start(int port) {
        return start(port, null);
    }

    /**
     * @param port the port, or 0 for a free one
     * @param storage where the queues and messages are kept (it survives a restart, kill -9 included), or null for memory only
     */
    static ElasticMq start(int port, Path storage) {
        int actual = port == 0 ? Ports.free() : port;
        // The node address is what queue URLs are made of: make them point at this very server.
        var builder = SQSRestServerBuilder.withPort(actual).withInterface("127.0.0.1")
                .withServerAddress(new NodeAddress("http", "127.0.0.1", actual, ""));
        if (storage == null) {
            SQSRestServer server = builder.start();
            server.waitUntilStarted();
            return new ElasticMq(server, null, actual);
        }
        claimTheStore(storage);
        ActorSystem actors = ActorSystem.create("elasticmq");
        try {
            Files.createDirectories(storage);
            // WRITE_DELAY=0: each change is on disk when its request is answered, so a kill -9 loses no
            // message that a sender was told was sent (H2's default writes up to 500 ms later).
            String url = "jdbc:h2:file:" + storage.toAbsolutePath().resolve("elasticmq") + ";WRITE_DELAY=0";
            SqlQueuePersistenceConfig config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, "sa", "", false);
            // ElasticMQ's SQL store uses scalikejdbc's JVM-wide default pool and sets it only once per JVM:
            // point it at this data dir ourselves, so a later stack of the same JVM (tests) uses its own.
            Class.forName("org.h2.Driver");
            ConnectionPool$ pools = ConnectionPool$.MODULE$;
            ConnectionPoolSettings settings = pools.singleton$default$4();
            pools.singleton(url, "sa", "", settings, pools.singleton$default$5(url, "sa", "", settings));
            ActorRef persistence = actors.actorOf(Props.create(SqlQueuePersistenceActor.class, config, List$.MODULE$.empty()));
            ActorRef queues = actors.actorOf(Props.create(QueueManagerActor.class, new NowProvider(),
                    SQSRestServerBuilder.sqsLimits(), Option.apply(persistence)));
            SQSRestServer server = builder.withActorSystem(actors).withQueueManagerActor(queues)
                    .withQueueEventListener(persistence).start();
            server.waitUntilStarted();
            // The kept queues and their messages back into the queue manager before anyone calls.
            Object restored = Await.result(Patterns.ask(persistence, new QueueEvent.Restore(queues), RESTORE_TIMEOUT.toMillis()),
                    scala.concurrent.duration.Duration.create(RESTORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            if (restored instanceof scala.util.Left<?, ?> errors) {
                server.stopAndWait();
                throw new IllegalStateException("ElasticMQ could not restore its queues from " + storage + ": " + errors.value());
            }
            return new ElasticMq(server, actors, actual);
        } catch (RuntimeException e) {
            actors.terminate();
            releaseTheStore();
            throw e;
        } catch (Exception e) {
            actors.terminate();
            releaseTheStore();
            throw new IllegalStateException("ElasticMQ with storage in " + storage + " did not start: " + e, e);
        }
    }

    /** The data dir whose store this JVM's ElasticMQ uses now (one at a time: the store's pool is JVM-wide). */
    private static Path storeInUse;

    private static synchronized void claimTheStore(Path storage) {
        if (storeInUse != null) {
            throw new IllegalStateException("ElasticMQ already keeps its queues in " + storeInUse + " in this JVM; its SQL "
                    + "store is one per JVM: stop that stack first, or start this one with --in-memory");
        }
        storeInUse = storage;
    }

    private static synchronized void releaseTheStore() {
        ConnectionPool$.MODULE$.closeAll(); // releases the H2 file
        storeInUse = null;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws Exception {
        server.stopAndWait();
        if (actors != null) {
            Await.result(actors.terminate(), scala.concurrent.duration.Duration.create(30, TimeUnit.SECONDS));
            releaseTheStore();
        }
    }
}
