package dev.assetlib.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.assetlib.domain.AccountLimits;
import dev.assetlib.domain.RouteClass;
import dev.assetlib.store.AccountPlans;
import dev.assetlib.testing.LocalAws;
import dev.assetlib.testing.LocalDynamoDb;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ./api-keys limits}: an account's plan overrides, read back as the services read them. */
@ExtendWith(LocalAws.class)
class ApiKeyAdminLimitsTest {
    private static String[] args(String table, String... more) {
        String[] base = {"limits", "--table", table, "--endpoint-url", LocalDynamoDb.endpoint().toString(), "--account", "acme"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void limitsOverrideOnlyTheGivenFieldsOfTheDefaultPlan(LocalAws aws) {
        String table = aws.table();
        String out = ApiKeyAdmin.run(args(table, "--uploads-per-second", "50", "--in-review", "100"));
        assertThat(out).contains("inReview=100").contains("uploadsPerSecond=50");

        AccountLimits defaults = AccountLimits.VENDOR_DEFAULTS.with(java.util.Map.of(AccountLimits.STORED_ASSETS, 7L));
        AccountPlans plans = new AccountPlans(aws.clients().dynamoDb(), table, defaults, Duration.ZERO, Clock.systemUTC());
        AccountLimits acme = plans.limits("acme");
        assertThat(acme.perSecond(RouteClass.UPLOADS)).isEqualTo(50);
        assertThat(acme.inReview()).isEqualTo(100);
        assertThat(acme.storedAssets()).isEqualTo(7); // not overridden: the deployment's default
        assertThat(plans.limits("other").inReview()).isEqualTo(30);

        ApiKeyAdmin.run(args(table, "--in-review", "5"));
        assertThat(plans.limits("acme").inReview()).isEqualTo(5);
        assertThat(plans.limits("acme").perSecond(RouteClass.UPLOADS)).isEqualTo(50); // kept

        ApiKeyAdmin.run(args(table, "--clear", "true"));
        assertThat(plans.limits("acme")).isEqualTo(defaults);
    }

    @Test
    void badLimitOptionsAreRefusedBeforeAnythingIsWritten(LocalAws aws) {
        String table = aws.table();
        assertThatThrownBy(() -> ApiKeyAdmin.run(args(table, "--in-review", "-1"))).hasMessageContaining("--in-review");
        assertThatThrownBy(() -> ApiKeyAdmin.run(args(table, "--uploads-per-secnd", "5"))).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> ApiKeyAdmin.run(args(table, "--reads-per-second", "0"))).hasMessageContaining("at least 1");
        assertThat(ApiKeyAdmin.run(args(table))).contains("overrides {}");
    }
}
