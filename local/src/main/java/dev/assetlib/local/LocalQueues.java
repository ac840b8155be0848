package dev.assetlib.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.assetlib.local.template.SamTemplate;
import dev.assetlib.local.template.TemplateValues;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates every {@code AWS::SQS::Queue} of the template on ElasticMQ, named by its logical id
 * (plus {@code .fifo} for FIFO queues), with the attributes that change behaviour locally: FIFO,
 * content-based deduplication, visibility timeout and the redrive policy to its dead-letter queue.
 * Encryption, retention and throughput settings have no local meaning and are not passed.
 */
final class LocalQueues {
    private LocalQueues() {
    }

    /** @return queue URL by logical id; also fills {@code refs} with each queue's Ref, Arn and QueueName */
    static Map<String, String> create(SqsClient sqs, SamTemplate template, Map<String, String> refs) {
        Map<String, JsonNode> queues = template.resources("AWS::SQS::Queue");
        Map<String, String> urls = new LinkedHashMap<>();
        // Dead-letter queues first: a redrive policy names its target's ARN.
        queues.forEach((id, q) -> {
            if (!q.path("Properties").has("RedrivePolicy")) {
                urls.put(id, create(sqs, template, id, q.path("Properties"), refs));
            }
        });
        queues.forEach((id, q) -> {
            if (q.path("Properties").has("RedrivePolicy")) {
                urls.put(id, create(sqs, template, id, q.path("Properties"), refs));
            }
        });
        return urls;
    }

    private static String create(SqsClient sqs, SamTemplate template, String id, JsonNode props, Map<String, String> refs) {
        boolean fifo = props.path("FifoQueue").asBoolean(false);
        // A QueueName may be !Sub ${AWS::StackName}-...: resolved with the pseudo parameters known by now.
        String name = props.has("QueueName") ? new TemplateValues(template, Map.of(), refs).resolve(props.get("QueueName"))
                : id + (fifo ? ".fifo" : "");
        Map<QueueAttributeName, String> attributes = new EnumMap<>(QueueAttributeName.class);
        if (fifo) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION,
                    Boolean.toString(props.path("ContentBasedDeduplication").asBoolean(false)));
        }
        if (props.has("VisibilityTimeout")) {
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, props.get("VisibilityTimeout").asText());
        }
        JsonNode redrive = props.path("RedrivePolicy");
        if (!redrive.isMissingNode()) {
            String target = redrive.path("deadLetterTargetArn").path("Fn::GetAtt").path(0).asText("");
            String targetArn = refs.get(target + ".Arn");
            if (targetArn == null) {
                throw new IllegalStateException("queue " + id + ": RedrivePolicy.deadLetterTargetArn must be "
                        + "!GetAtt <a queue of this template>.Arn, got " + redrive.path("deadLetterTargetArn"));
            }
            attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + targetArn
                    + "\",\"maxReceiveCount\":" + redrive.path("maxReceiveCount").asInt(10) + "}");
        }
        String url = sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
        String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        refs.put(id, url);
        refs.put(id + ".Arn", arn);
        refs.put(id + ".QueueName", name);
        refs.put(id + ".QueueUrl", url);
        return url;
    }
}
