package dev.assetlib.auth;

import dev.assetlib.security.ApiKeys;
import dev.assetlib.store.ApiKeyStore;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import dev.assetlib.Services;
import java.util.Map;

/**
 * The HttpApi Lambda authorizer (payload 2.0, simple responses, cached by the Authorization header).
 * It turns a key into the account every handler uses. An unknown, malformed or revoked key is let
 * through marked {@code authError}, never with an account, so that the handler answers the
 * contract's 401 envelope (an HttpApi deny can only answer a bare 403); each route refuses a request
 * without {@code accountId} before it does anything else.
 */
public final class ApiKeyAuthorizerHandler implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, SimpleIAMPolicyResponse> {
    private final ApiKeyStore keys;

    public ApiKeyAuthorizerHandler() {
        this(Services.lambda());
    }

    /** With the services of this execution environment (Lambda) or of the local stack. */
    public ApiKeyAuthorizerHandler(Services services) {
        this(services.apiKeyStore());
    }

    public ApiKeyAuthorizerHandler(ApiKeyStore keys) {
        this.keys = keys;
    }

    @Override
    public SimpleIAMPolicyResponse handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        String header = header(event.getHeaders(), "authorization");
        String key = ApiKeys.fromAuthorizationHeader(header);
        return keys.lookup(key)
                .map(p -> new SimpleIAMPolicyResponse(true, Map.of("accountId", p.accountId(), "role", p.role(),
                        "keyId", p.keyId())))
                .orElseGet(() -> new SimpleIAMPolicyResponse(true, Map.of("authError", "invalid API key")));
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
