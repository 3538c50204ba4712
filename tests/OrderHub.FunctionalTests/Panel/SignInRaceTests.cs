using System.Net;
using Microsoft.EntityFrameworkCore;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Panel;

public sealed class SqliteSignInRaceTests() : SignInRaceTests(new SqliteTestDatabase());

public sealed class PostgresSignInRaceTests() : SignInRaceTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerSignInRaceTests() : SignInRaceTests(new SqlServerTestDatabase());

/// <summary>Lockout under parallel guessing: counted and decided in the database, never by a value read earlier.</summary>
public abstract class SignInRaceTests(ITestDatabase database) : ProviderTestBase(database)
{
    [Fact]
    public async Task A_hundred_parallel_guesses_with_the_right_password_among_them_never_sign_in_while_locked_and_count_every_failure()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var olga = await TestUsers.CreateAsync(Factory, "olga", "manager", tenant.CompanyId);
        for (var round = 0; round < 3; round++)
        {
            // Every attempt from its own browser with its own antiforgery token, fetched before the burst.
            var attempts = new List<(PanelClient Client, Dictionary<string, string> Form)>();
            for (var i = 0; i < 100; i++)
            {
                var client = new PanelClient(Factory);
                var token = PanelClient.Token(await client.GetPageAsync("/panel/sign-in"));
                attempts.Add((client, new Dictionary<string, string>
                {
                    ["LoginName"] = "olga",
                    ["Password"] = i == 40 + round ? TestUsers.Password : $"wrong-{round}-{i}",
                    ["__RequestVerificationToken"] = token,
                }));
            }

            var responses = await Task.WhenAll(attempts.Select(a => a.Client.Http.PostAsync("/panel/sign-in", new FormUrlEncodedContent(a.Form))));

            var statuses = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
            var summary = string.Join(", ", statuses.Select(s => $"{s.Key}={s.Value}"));
            var signedIn = statuses.GetValueOrDefault(HttpStatusCode.Redirect);
            var refused = statuses.GetValueOrDefault(HttpStatusCode.Unauthorized);
            (signedIn + refused + statuses.GetValueOrDefault(HttpStatusCode.TooManyRequests)).ShouldBe(100, summary);
            signedIn.ShouldBeLessThanOrEqualTo(1, summary);
            var user = await Factory.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == olga.Id));
            var locks = await Factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.EntityId == olga.Id.ToString() && e.Action == "locked-out"));

            // 99 wrong guesses: exactly one lock, set by the fifth failure counted after the last success; every
            // later guess is refused without being counted; the lock stands.
            locks.ShouldBe(round + 1, summary);
            user.LockedUntil.ShouldNotBeNull().ShouldBeGreaterThan(Factory.Clock.GetUtcNow(), summary);
            user.FailedSignInCount.ShouldBe(5, summary);
            if (signedIn == 0)
            {
                refused.ShouldBe(4, summary);
            }
            else
            {
                // The success came before the lock: at most four failures before it, four more after it, then the lock.
                refused.ShouldBeInRange(4, 8, summary);
                user.LastSignInAt.ShouldNotBeNull();
            }

            (await Factory.CreateApiClient().PostAsync($"/api/users/{olga.Id}/unlock", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }
}

public sealed class SqliteSignInThrottleTests() : SignInThrottleTests(new SqliteTestDatabase());

/// <summary>Per-client throttling of sign-in posts, apart from the per-user lockout.</summary>
public abstract class SignInThrottleTests(ITestDatabase database) : ProviderTestBase(database)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:SignInThrottle:PermitLimit"] = "3",
        ["Auth:SignInThrottle:Window"] = "00:10:00",
    };

    [Fact]
    public async Task A_client_that_posts_too_many_sign_ins_is_throttled_before_any_password_is_checked()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var anna = await TestUsers.CreateAsync(Factory, "anna", "support", tenant.CompanyId);
        var panel = new PanelClient(Factory);

        (await panel.SignInAsync("anna", "wrong-1")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await panel.SignInAsync("admin", "wrong-2")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await panel.SignInAsync("anna", "wrong-3")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var throttled = await panel.SignInAsync("anna", TestUsers.Password);

        throttled.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter.ShouldNotBeNull();
        throttled.Headers.Contains("Set-Cookie").ShouldBeFalse();
        var user = await Factory.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == anna.Id));
        user.FailedSignInCount.ShouldBe(2);
        user.LockedUntil.ShouldBeNull();
        user.LastSignInAt.ShouldBeNull();
        (await panel.GetPageAsync("/panel/sign-in")).ShouldContain("LoginName");
    }
}
