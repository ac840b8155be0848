package dev.assetlib.local;

import java.util.Map;

/** What ./run-local prints once everything is up: where each part is, the keys, three commands. */
final class Banner {
    private Banner() {
    }

    static String render(RunningStack stack) {
        StackSettings s = stack.settings();
        StringBuilder b = new StringBuilder();
        b.append("\nasset-library local stack is up (Ctrl-C stops it)\n\n");
        b.append(String.format("  HTTP API        %s%n", stack.apiEndpoint()));
        b.append(String.format("  review console  %s/console/   (sign in with a reviewer key; docs/console.md)%n", stack.apiEndpoint()));
        String kept = s.inMemory() ? "in memory" : "kept in " + s.dataDir();
        b.append(String.format("  DynamoDB Local  %s   table %s (%s, -sharedDb)%n", stack.dynamoDbEndpoint(), stack.tableName(), kept));
        b.append(String.format("  ElasticMQ (SQS) %s   (%s)%n", stack.sqsEndpoint(), kept));
        for (Map.Entry<String, String> q : stack.queueUrls().entrySet()) {
            b.append(String.format("    %-28s %s%n", q.getKey(), q.getValue()));
        }
        b.append(String.format("  Step Functions  %s   %s%n", stack.sfnEndpoint(), stack.stateMachineArn()));
        b.append(String.format("  S3 (S3Mock)     %s   buckets %s (uploads), %s (media copies)%n",
                stack.s3Endpoint(), stack.uploadBucket(), stack.mediaBucket()));
        switch (s.reviewer()) {
            case "upstream" -> b.append(String.format("  upstream reviewer: %s (key given with --upstream-key); time scale %s; deadline %s%n",
                    s.upstreamUrl(), s.timeScale(), s.deadline()));
            case "human" -> b.append(String.format("  human reviewer: reviewer keys decide; time scale %s; deadline %s%n",
                    s.timeScale(), s.deadline()));
            case "rekognition" -> b.append(String.format("  rekognition reviewer: Rekognition answered by %s (a stand-in: there is"
                    + " no local Rekognition), then the human queue; time scale %s; deadline %s%n",
                    s.rekognitionEndpoint(), s.timeScale(), s.deadline()));
            default -> b.append(String.format("  simulated reviewer (the local default; it looks at no media, a deploy reviews with"
                    + " rekognition): delay %s, %d reject rule(s); time scale %s; deadline %s%n",
                    s.reviewDelay(), s.rejectRules().size(), s.timeScale(), s.deadline()));
        }
        b.append("\n  dev keys:\n");
        for (DevKey k : stack.devKeys()) {
            b.append(String.format("    %s  (account %s)%n", k.key(), k.accountId()));
        }
        if (!s.reviewerKeys().isEmpty()) {
            b.append("  reviewer keys (review routes only, no uploads):\n");
            for (DevKey k : s.reviewerKeys()) {
                b.append(String.format("    %s  (account %s)%n", k.key(), k.accountId()));
            }
        }
        String key = stack.devKeys().get(0).key();
        String api = stack.apiEndpoint().toString();
        String queue = stack.queueUrls().values().stream().filter(u -> u.contains("CompletionQueue"))
                .findFirst().orElse(stack.queueUrls().values().stream().findFirst().orElse(""));
        b.append("\n  try:\n");
        b.append(String.format("    curl -s -X POST %s/kyyReactApiServer/kyyVideo2/asset/upload -H 'Authorization: Bearer %s' "
                + "-H 'Content-Type: application/json' -d '{\"assetType\":\"Image\",\"url\":\"%s/samples/portrait.jpg\"}'%n", api, key, api));
        b.append(String.format("    curl -s %s/kyyReactApiServer/kyyVideo2/asset/<assetId> -H 'Authorization: Bearer %s'%n", api, key));
        if (!s.reviewerKeys().isEmpty()) {
            String rk = s.reviewerKeys().get(0).key();
            b.append(String.format("    curl -s %s/kyyReactApiServer/review/pending -H 'Authorization: Bearer %s'%n", api, rk));
            b.append(String.format("    curl -s -X POST %s/kyyReactApiServer/review/<assetId> -H 'Authorization: Bearer %s' "
                    + "-H 'Content-Type: application/json' -d '{\"decision\":\"approve\"}'%n", api, rk));
        }
        b.append(String.format("    aws --endpoint-url %s sqs receive-message --queue-url %s --region %s%n",
                stack.sqsEndpoint(), queue, RunningStack.REGION));
        b.append(String.format("    aws --endpoint-url %s s3 ls s3://%s --recursive --region %s%n",
                stack.s3Endpoint(), stack.uploadBucket(), RunningStack.REGION));
        return b.toString();
    }
}
