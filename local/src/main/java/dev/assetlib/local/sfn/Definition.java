package dev.assetlib.local.sfn;

import java.util.Map;

/**
 * A loaded, validated state machine definition.
 *
 * @param text the definition after ${Placeholder} substitution (what DescribeStateMachine shows)
 */
record Definition(String text, String startAt, Map<String, StateDef> states, Long timeoutSeconds) {
    StateDef state(String name) {
        return states.get(name);
    }
}
