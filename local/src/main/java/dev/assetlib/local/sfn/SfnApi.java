package dev.assetlib.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The Step Functions JSON API operations, request JSON in, response JSON out. */
final class SfnApi {
    static final Set<String> OPERATIONS = new TreeSet<>(Set.of("ListStateMachines",
            "DescribeStateMachine", "StartExecution", "DescribeExecution", "GetExecutionHistory",
            "ListExecutions", "StopExecution"));

    private final StepFunctionsLocal sfn;

    SfnApi(StepFunctionsLocal sfn) {
        this.sfn = sfn;
    }

    JsonNode call(String op, JsonNode req) {
        return switch (op) {
            case "ListStateMachines" -> listStateMachines(req);
            case "DescribeStateMachine" -> describeStateMachine(req);
            case "StartExecution" -> startExecution(req);
            case "DescribeExecution" -> describeExecution(req);
            case "GetExecutionHistory" -> history(req);
            case "ListExecutions" -> listExecutions(req);
            case "StopExecution" -> stopExecution(req);
            default -> throw new SfnApiException("UnknownOperationException", "Operation '" + op
                    + "' is not supported by this local Step Functions; supported: " + OPERATIONS);
        };
    }

    private JsonNode listStateMachines(JsonNode req) {
        List<JsonNode> items = new ArrayList<>();
        for (String arn : sfn.stateMachineArns()) {
            StateMachine sm = sfn.stateMachine(arn);
            ObjectNode n = Json.object();
            n.put("stateMachineArn", sm.arn());
            n.put("name", sm.name());
            n.put("type", "STANDARD");
            n.put("creationDate", Json.epochSeconds(sm.creationDate()));
            items.add(n);
        }
        return page(req, items, "stateMachines", 100);
    }

    private JsonNode describeStateMachine(JsonNode req) {
        StateMachine sm = sfn.stateMachine(required(req, "stateMachineArn"));
        ObjectNode out = Json.object();
        out.put("stateMachineArn", sm.arn());
        out.put("name", sm.name());
        out.put("status", "ACTIVE");
        out.put("definition", sm.definition().text());
        out.put("roleArn", sm.roleArn());
        out.put("type", "STANDARD");
        out.put("creationDate", Json.epochSeconds(sm.creationDate()));
        ObjectNode logging = out.putObject("loggingConfiguration");
        logging.put("level", "OFF");
        logging.put("includeExecutionData", false);
        out.putObject("tracingConfiguration").put("enabled", false);
        return out;
    }

    private JsonNode startExecution(JsonNode req) {
        String arn = sfn.startExecution(required(req, "stateMachineArn"), optional(req, "name"),
                optional(req, "input"));
        ObjectNode out = Json.object();
        out.put("executionArn", arn);
        out.put("startDate", Json.epochSeconds(sfn.describeExecution(arn).startDate()));
        return out;
    }

    private JsonNode describeExecution(JsonNode req) {
        ExecutionView v = sfn.describeExecution(required(req, "executionArn"));
        ObjectNode out = summary(v);
        out.put("input", v.input());
        out.putObject("inputDetails").put("included", true);
        if (v.output() != null) {
            out.put("output", v.output());
            out.putObject("outputDetails").put("included", true);
        }
        if (v.error() != null) {
            out.put("error", v.error());
        }
        if (v.cause() != null) {
            out.put("cause", v.cause());
        }
        out.put("redriveCount", 0);
        out.put("redriveStatus", "NOT_REDRIVABLE");
        return out;
    }

    private JsonNode history(JsonNode req) {
        List<JsonNode> events = sfn.history(required(req, "executionArn"));
        if (req.path("reverseOrder").asBoolean(false)) {
            Collections.reverse(events);
        }
        return page(req, events, "events", 100);
    }

    private JsonNode listExecutions(JsonNode req) {
        String status = optional(req, "statusFilter");
        ExecutionStatus filter;
        try {
            filter = status == null ? null : ExecutionStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new SfnApiException("ValidationException", "statusFilter must be one of "
                    + List.of(ExecutionStatus.values()) + ", got '" + status + "'");
        }
        List<JsonNode> items = new ArrayList<>();
        for (ExecutionView v : sfn.listExecutions(required(req, "stateMachineArn"), filter)) {
            items.add(summary(v));
        }
        return page(req, items, "executions", 100);
    }

    private JsonNode stopExecution(JsonNode req) {
        String arn = required(req, "executionArn");
        sfn.stopExecution(arn, optional(req, "error"), optional(req, "cause"));
        ObjectNode out = Json.object();
        Instant stop = sfn.describeExecution(arn).stopDate();
        out.put("stopDate", Json.epochSeconds(stop == null ? sfn.now() : stop));
        return out;
    }

    private static ObjectNode summary(ExecutionView v) {
        ObjectNode n = Json.object();
        n.put("executionArn", v.executionArn());
        n.put("stateMachineArn", v.stateMachineArn());
        n.put("name", v.name());
        n.put("status", v.status().name());
        n.put("startDate", Json.epochSeconds(v.startDate()));
        if (v.stopDate() != null) {
            n.put("stopDate", Json.epochSeconds(v.stopDate()));
        }
        return n;
    }

    /** maxResults / nextToken paging; the token is the next offset, opaque to clients. */
    private static JsonNode page(JsonNode req, List<JsonNode> items, String field, int defaultMax) {
        int max = req.path("maxResults").asInt(0);
        if (max < 0 || max > 1000) {
            throw new SfnApiException("ValidationException", "maxResults must be between 0 and 1000");
        }
        max = max == 0 ? defaultMax : max;
        int from = 0;
        String token = optional(req, "nextToken");
        if (token != null) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new SfnApiException("InvalidToken", "Invalid Token: '" + token + "'");
            }
            if (from < 0 || from > items.size()) {
                throw new SfnApiException("InvalidToken", "Invalid Token: '" + token + "'");
            }
        }
        int to = Math.min(items.size(), from + max);
        ObjectNode out = Json.object();
        ArrayNode arr = out.putArray(field);
        items.subList(from, to).forEach(arr::add);
        if (to < items.size()) {
            out.put("nextToken", Base64.getEncoder().encodeToString(
                    Integer.toString(to).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static String required(JsonNode req, String field) {
        String v = optional(req, field);
        if (v == null) {
            throw new SfnApiException("ValidationException", "1 validation error detected: Value null at '"
                    + field + "' failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    private static String optional(JsonNode req, String field) {
        JsonNode v = req.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
