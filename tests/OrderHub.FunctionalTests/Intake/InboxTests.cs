using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Features.Inbox;
using OrderHub.Api.Features.Orders;
using OrderHub.Api.Features.Webhooks.ReceiveDotsEvent;
using OrderHub.Api.Inbox;
using OrderHub.Domain.Inbound;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Intake;

public sealed class SqliteInboxTests() : InboxTests(new SqliteTestDatabase());

public sealed class PostgresInboxTests() : InboxTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerInboxTests() : InboxTests(new SqlServerTestDatabase());

/// <summary>
/// The inbox: the Dots webhook answers once the raw event is stored, and the inbox processor applies it after.
/// Here the background processor is off and each test runs the processor's rounds itself, so "before processing"
/// and "after a failed attempt" are states the test can look at, not races.
/// </summary>
public abstract class InboxTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const string InstanceId = "inbox-host-a";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Inbox:ProcessorEnabled"] = "false",
        ["Inbox:RetryDelays:0"] = "00:00:00",
        ["Inbox:RetryDelays:1"] = "00:00:00",
        ["Processing:InstanceId"] = InstanceId,
    };

    [Fact]
    public async Task The_webhook_answers_202_once_the_raw_event_is_stored_and_the_order_appears_after_processing()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var api = Factory.CreateApiClient();

        var response = await tenant.Sender(Factory).PostFixtureAsync(Fixtures.AcceptedDelivery);

        var answer = await response.ShouldBeAsync<DotsEventAccepted>(HttpStatusCode.Accepted);
        answer.Status.ShouldBe("received");
        answer.Order.ShouldBe($"/api/companies/{tenant.CompanyId}/dots-orders/{Fixtures.DeliveryOrderId}");
        var stored = await Factory.WithDbAsync(db => db.InboxEvents.SingleAsync());
        stored.Id.ShouldBe(answer.EventId);
        stored.State.ShouldBe(InboxEventState.Received);
        System.Text.Encoding.UTF8.GetString(stored.Body!).ShouldBe(Fixtures.Read(Fixtures.AcceptedDelivery));
        (await CountAsync(db => db.Orders)).ShouldBe(0);
        (await CountAsync(db => db.InboundEvents)).ShouldBe(0);
        await (await api.GetAsync(answer.Order)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await (await api.GetAsync($"/api/inbox/{answer.EventId}")).ShouldBeAsync<InboxEventDto>(HttpStatusCode.OK)).State.ShouldBe("Received");

        (await RunRoundAsync()).ShouldBeTrue();

        var processed = await (await api.GetAsync($"/api/inbox/{answer.EventId}")).ShouldBeAsync<InboxEventDto>(HttpStatusCode.OK);
        processed.State.ShouldBe("Processed");
        processed.Outcome.ShouldBe("applied");
        var order = await (await api.GetAsync(answer.Order)).ShouldBeAsync<OrderDetailsDto>(HttpStatusCode.OK);
        order.Id.ShouldBe(processed.OrderId!.Value);
        order.ExportState.ShouldBe("Queued");
        order.History.Select(h => h.Action).ShouldBe(["order.received", "order.resolved", "export.queued"]);
        (await Factory.WithDbAsync(db => db.InboxEvents.SingleAsync())).Body.ShouldBeNull(); // the order keeps the payload
    }

    [Fact]
    public async Task Copies_of_an_event_still_in_the_inbox_answer_200_with_the_first_copys_body_and_make_one_order()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => sender.PostFixtureAsync(Fixtures.AcceptedDelivery)));
        var later = await sender.PostFixtureAsync(Fixtures.AcceptedDelivery);

        var responses = concurrent.Append(later).ToList();
        responses.Count(r => r.StatusCode == HttpStatusCode.Accepted).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(4);
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        bodies.Distinct().Count().ShouldBe(1);
        (await CountAsync(db => db.InboxEvents)).ShouldBe(1);
        (await CountAsync(db => db.Orders)).ShouldBe(0);

        await RunRoundAsync();

        (await CountAsync(db => db.Orders)).ShouldBe(1);
        (await CountAsync(db => db.ExportQueue)).ShouldBe(1);
        (await CountAsync(db => db.OrderActions.Where(a => a.Action == "order.received"))).ShouldBe(1);
        (await sender.PostFixtureAsync(Fixtures.AcceptedDelivery)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_unknown_pickup_point_is_answered_202_then_shown_as_unrouted_and_replayed_after_configuring_it()
    {
        var tenant = await new TestTenant().WithoutLvivPoint().CreateAsync(Factory);
        var api = Factory.CreateApiClient();

        var answer = await (await tenant.Sender(Factory).PostFixtureAsync(Fixtures.AcceptedPickupCash)).ShouldBeAsync<DotsEventAccepted>(HttpStatusCode.Accepted);
        await RunRoundAsync();

        var inbox = await (await api.GetAsync($"/api/inbox/{answer.EventId}")).ShouldBeAsync<InboxEventDto>(HttpStatusCode.OK);
        inbox.State.ShouldBe("Processed");
        inbox.Outcome.ShouldBe("unrouted");
        var unrouted = await (await api.GetAsync("/api/unrouted")).ShouldBeAsync<List<JsonObject>>(HttpStatusCode.OK);
        unrouted.Single()["id"]!.GetValue<Guid>().ShouldBe(inbox.InboundEventId!.Value);
        unrouted.Single()["dotsAddressId"]!.GetValue<string>().ShouldBe(Fixtures.LvivAddressId);
        unrouted.Single()["fixHint"]!.GetValue<string>().ShouldContain("then replay this event");
        (await CountAsync(db => db.Orders)).ShouldBe(0);

        await Factory.WithDbAsync(db =>
        {
            db.PickupPoints.Add(new Domain.Tenancy.PickupPoint { CompanyId = tenant.CompanyId, DotsAddressId = Fixtures.LvivAddressId, Name = "Площа Ринок" });
            return db.SaveChangesAsync();
        });
        var replayed = await (await api.PostAsync($"/api/unrouted/{inbox.InboundEventId}/replay", null)).ShouldBeAsync<DotsEventReceipt>(HttpStatusCode.OK);

        replayed.Outcome.ShouldBe("applied");
        (await (await api.GetAsync(answer.Order)).ShouldBeAsync<OrderDetailsDto>(HttpStatusCode.OK)).Id.ShouldBe(replayed.OrderId!.Value);
        (await (await api.GetAsync("/api/unrouted")).ShouldBeAsync<List<JsonObject>>(HttpStatusCode.OK)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_event_that_keeps_failing_is_retried_then_parked_visibly_and_applied_once_when_retried_after_the_fix()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var api = Factory.CreateApiClient();
        await InjectOrderInsertFailureAsync(on: true);

        var answer = await (await tenant.Sender(Factory).PostFixtureAsync(Fixtures.AcceptedDelivery)).ShouldBeAsync<DotsEventAccepted>(HttpStatusCode.Accepted);

        // Two retries are configured (both without a pause): attempts 1 and 2 fail and are retried, 3 parks.
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await RunRoundAsync();
            var retried = await (await api.GetAsync($"/api/inbox/{answer.EventId}")).ShouldBeAsync<InboxEventDto>(HttpStatusCode.OK);
            retried.State.ShouldBe("Received");
            retried.Attempts.ShouldBe(attempt);
            retried.LastError.ShouldNotBeNull().ShouldContain("injected failure");
        }

        await RunRoundAsync();

        var parked = await (await api.GetAsync($"/api/inbox/{answer.EventId}")).ShouldBeAsync<InboxEventDto>(HttpStatusCode.OK);
        parked.State.ShouldBe("Parked");
        parked.ParkedReason.ShouldBe("EventProcessingFailed");
        parked.Attempts.ShouldBe(3);
        (await RunRoundAsync()).ShouldBeFalse(); // parked: no longer claimed
        var list = await (await api.GetAsync("/api/inbox/parked")).ShouldBeAsync<List<InboxEventDto>>(HttpStatusCode.OK);
        list.Single().Id.ShouldBe(answer.EventId);
        (await CountAsync(db => db.Orders)).ShouldBe(0);
        (await CountAsync(db => db.InboundEvents)).ShouldBe(0);

        await InjectOrderInsertFailureAsync(on: false);
        (await (await api.PostAsync($"/api/inbox/{answer.EventId}/retry", null)).ShouldBeAsync<InboxEventDto>(HttpStatusCode.OK)).State.ShouldBe("Received");
        await RunRoundAsync();

        var processed = await (await api.GetAsync($"/api/inbox/{answer.EventId}")).ShouldBeAsync<InboxEventDto>(HttpStatusCode.OK);
        processed.State.ShouldBe("Processed");
        processed.Outcome.ShouldBe("applied");
        (await CountAsync(db => db.Orders)).ShouldBe(1);
        (await (await api.GetAsync("/api/inbox/parked")).ShouldBeAsync<List<InboxEventDto>>(HttpStatusCode.OK)).ShouldBeEmpty();
        (await api.PostAsync($"/api/inbox/{answer.EventId}/retry", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_round_whose_one_order_the_database_refuses_applies_the_others_and_retries_only_that_one()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        var api = Factory.CreateApiClient();
        var answers = new List<DotsEventAccepted>();
        foreach (var i in Enumerable.Range(1, 3))
        {
            var json = Fixtures.Json(Fixtures.AcceptedDelivery);
            json["eventId"] = $"evt_round_{i}";
            json["order"]!["id"] = $"dots-order-round-{i}";
            json["order"]!["number"] = $"DT-R{i}";
            answers.Add(await (await sender.PostAsync(json)).ShouldBeAsync<DotsEventAccepted>(HttpStatusCode.Accepted));
        }

        // The round's three orders are written together; the database refuses the second, so the round's one
        // transaction fails as a whole and its events are applied again one by one.
        await InjectOrderInsertFailureAsync(on: true, number: "DT-R2");
        (await RunRoundAsync()).ShouldBeTrue();

        var after = new List<InboxEventDto>();
        foreach (var answer in answers)
        {
            after.Add(await (await api.GetAsync($"/api/inbox/{answer.EventId}")).ShouldBeAsync<InboxEventDto>(HttpStatusCode.OK));
        }

        after.Select(e => e.State).ShouldBe(["Processed", "Received", "Processed"]);
        after[1].Attempts.ShouldBe(1);
        after[1].LastError.ShouldNotBeNull().ShouldContain("injected failure");
        (await Factory.WithDbAsync(db => db.Orders.OrderBy(o => o.Number).Select(o => o.Number).ToListAsync())).ShouldBe(["DT-R1", "DT-R3"]);
        (await CountAsync(db => db.ExportQueue)).ShouldBe(2);
        (await CountAsync(db => db.OrderActions.Where(a => a.Action == "order.received"))).ShouldBe(2);

        await InjectOrderInsertFailureAsync(on: false);
        (await RunRoundAsync()).ShouldBeTrue();

        var retried = await (await api.GetAsync($"/api/inbox/{answers[1].EventId}")).ShouldBeAsync<InboxEventDto>(HttpStatusCode.OK);
        retried.State.ShouldBe("Processed");
        retried.Outcome.ShouldBe("applied");
        (await CountAsync(db => db.Orders)).ShouldBe(3);
        (await CountAsync(db => db.ExportQueue)).ShouldBe(3);
        (await CountAsync(db => db.OrderActions.Where(a => a.Action == "order.received"))).ShouldBe(3);
    }

    [Fact]
    public async Task A_status_event_that_arrives_before_its_order_waits_in_the_inbox_and_applies_once_the_order_arrives()
    {
        var tenant = await new TestTenant().WithAutoSync(false).CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        var api = Factory.CreateApiClient();

        var status = await (await sender.PostFixtureAsync(Fixtures.StatusChanged)).ShouldBeAsync<DotsEventAccepted>(HttpStatusCode.Accepted);
        await RunRoundAsync();

        var waiting = await (await api.GetAsync($"/api/inbox/{status.EventId}")).ShouldBeAsync<InboxEventDto>(HttpStatusCode.OK);
        waiting.State.ShouldBe("Received");
        waiting.ParkedReason.ShouldBeNull();
        (await CountAsync(db => db.InboundEvents)).ShouldBe(0);

        await sender.PostFixtureAsync(Fixtures.AcceptedDelivery);
        await RunRoundAsync(); // the order; its arrival wakes the waiting status event
        await RunRoundAsync(); // the status event

        var applied = await (await api.GetAsync($"/api/inbox/{status.EventId}")).ShouldBeAsync<InboxEventDto>(HttpStatusCode.OK);
        applied.State.ShouldBe("Processed");
        applied.Outcome.ShouldBe("applied");
        var order = await (await api.GetAsync(status.Order)).ShouldBeAsync<OrderDetailsDto>(HttpStatusCode.OK);
        order.DotsStatus.ShouldBe("on_the_way");
        order.History.Select(h => h.Action).ShouldContain("dots.status_changed");
    }

    [Fact]
    public async Task Events_left_received_or_leased_by_a_killed_instance_are_applied_once_by_the_next_one()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        var events = Enumerable.Range(1, 3).Select(i =>
        {
            var json = Fixtures.Json(Fixtures.AcceptedDelivery);
            json["eventId"] = $"evt_crash_{i}";
            json["order"]!["id"] = $"dots-order-crash-{i}";
            json["order"]!["number"] = $"DT-C{i}";
            return json;
        }).ToList();
        var answers = new List<DotsEventAccepted>();
        foreach (var json in events)
        {
            answers.Add(await (await sender.PostAsync(json)).ShouldBeAsync<DotsEventAccepted>(HttpStatusCode.Accepted));
        }

        // The state a kill -9 of this instance can leave: event 1 received, event 2 claimed (lease far ahead),
        // event 3 applied but its outcome not written yet (the order committed, the inbox row still received).
        var now = Factory.Clock.GetUtcNow();
        await Factory.WithDbAsync(db => db.InboxEvents.Where(e => e.Id != answers[2].EventId).ExecuteUpdateAsync(set => set.SetProperty(e => e.NextAttemptAt, now.AddHours(2))));
        await RunRoundAsync();
        await Factory.WithDbAsync(db => db.InboxEvents.Where(e => e.Id == answers[1].EventId).ExecuteUpdateAsync(set => set
            .SetProperty(e => e.LeaseOwner, InstanceId + "/0123456789abcdef")
            .SetProperty(e => e.LeaseUntil, now.AddHours(1))
            .SetProperty(e => e.Attempts, 1)));
        await Factory.WithDbAsync(db => db.InboxEvents.Where(e => e.Id == answers[2].EventId).ExecuteUpdateAsync(set => set
            .SetProperty(e => e.State, InboxEventState.Received)
            .SetProperty(e => e.Body, System.Text.Encoding.UTF8.GetBytes(events[2].ToJsonString()))));
        await Factory.WithDbAsync(db => db.InboxEvents.Where(e => e.Id != answers[2].EventId).ExecuteUpdateAsync(set => set.SetProperty(e => e.NextAttemptAt, now)));
        (await CountAsync(db => db.Orders)).ShouldBe(1);

        // The same host comes back (same instance id, the processor on), over the same database.
        await using var restarted = new OrderHubFactory(Database, new Dictionary<string, string?>
        {
            ["Processing:InstanceId"] = InstanceId,
        });
        restarted.Clock.Set(now);
        _ = restarted.Server;

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await restarted.WithDbAsync(db => db.InboxEvents.CountAsync(e => e.State != InboxEventState.Processed)) > 0)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "every event left behind is processed by the restarted instance");
            await Task.Delay(20);
        }

        (await CountAsync(db => db.Orders)).ShouldBe(3);
        (await CountAsync(db => db.ExportQueue)).ShouldBe(3);
        (await CountAsync(db => db.InboundEvents)).ShouldBe(3);
        (await CountAsync(db => db.OrderActions.Where(a => a.Action == "order.received"))).ShouldBe(3);
        var outcomes = await restarted.WithDbAsync(db => db.InboxEvents.OrderBy(e => e.WebhookId).Select(e => e.Outcome).ToListAsync());
        outcomes.ShouldBe(["applied", "applied", "duplicate"]); // the third was applied before the crash: found, not applied again
    }

    [Fact]
    public async Task A_claim_passes_over_a_pickup_point_another_claim_holds_and_takes_its_events_once_the_holder_lets_go()
    {
        var tenant = await new TestTenant().WithAutoSync(false).CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        var answers = new List<DotsEventAccepted>();
        foreach (var i in Enumerable.Range(1, 3))
        {
            var json = Fixtures.Json(Fixtures.AcceptedDelivery);
            json["eventId"] = $"evt_key_{i}";
            json["order"]!["id"] = $"dots-order-key-{i}";
            json["order"]!["number"] = $"DT-K{i}";
            answers.Add(await (await sender.PostAsync(json)).ShouldBeAsync<DotsEventAccepted>(HttpStatusCode.Accepted));
            Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var elsewhere = Fixtures.Json(Fixtures.AcceptedDelivery);
        elsewhere["eventId"] = "evt_key_elsewhere";
        elsewhere["order"]!["id"] = "dots-order-key-elsewhere";
        elsewhere["order"]!["companyAddressId"] = "address-not-configured";
        var other = await (await sender.PostAsync(elsewhere)).ShouldBeAsync<DotsEventAccepted>(HttpStatusCode.Accepted);

        // Another round (another instance) holds the point's oldest event: the point's later events wait for it,
        // the other address's event does not.
        var processor = Factory.Services.GetRequiredService<InboxProcessor>();
        var held = await processor.ClaimAsync(1, CancellationToken.None);
        held.Single().Events.Single().Id.ShouldBe(answers[0].EventId);
        (await RunRoundAsync()).ShouldBeTrue();
        var states = await Factory.WithDbAsync(db => db.InboxEvents.ToDictionaryAsync(e => e.Id, e => e.State));
        states[other.EventId].ShouldBe(InboxEventState.Processed);
        answers.Select(a => states[a.EventId]).ShouldAllBe(s => s == InboxEventState.Received);
        (await RunRoundAsync()).ShouldBeFalse();

        // The holder died: once its lease runs out, one round takes the point's three events.
        Factory.Clock.Advance(TimeSpan.FromMinutes(3));
        (await RunRoundAsync()).ShouldBeTrue();
        var applied = await Factory.WithDbAsync(db => db.InboxEvents.Where(e => e.Outcome == "applied").Select(e => e.Id).ToListAsync());
        applied.ShouldBe(answers.Select(a => a.EventId), ignoreOrder: true);
        (await Factory.WithDbAsync(db => db.Orders.OrderBy(o => o.Number).Select(o => o.Number).ToListAsync())).ShouldBe(["DT-K1", "DT-K2", "DT-K3"]);
    }

    private Task<bool> RunRoundAsync() => Factory.Services.GetRequiredService<InboxProcessor>().RunRoundAsync(CancellationToken.None);

    /// <summary>
    /// A database trigger that refuses every new order, or the one with <paramref name="number"/>: a real failure
    /// of the processing transaction.
    /// </summary>
    private Task InjectOrderInsertFailureAsync(bool on, string number = "") => Factory.WithDbAsync(db => db.Database.ExecuteSqlRawAsync((Database.Provider, on) switch
    {
        ("Postgres", true) => $"""
            CREATE FUNCTION inject_failure() RETURNS trigger AS $$ BEGIN IF '{number}' = '' OR NEW."Number" = '{number}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER inject_failure BEFORE INSERT ON "Orders" FOR EACH ROW EXECUTE FUNCTION inject_failure();
            """,
        ("Postgres", false) => """DROP TRIGGER inject_failure ON "Orders"; DROP FUNCTION inject_failure();""",
        ("SqlServer", true) => $"CREATE TRIGGER inject_failure ON [Orders] AFTER INSERT AS BEGIN IF '{number}' = '' OR EXISTS (SELECT 1 FROM inserted WHERE [Number] = '{number}') THROW 50000, 'injected failure', 1; END;",
        (_, true) => $"""CREATE TRIGGER inject_failure BEFORE INSERT ON "Orders" WHEN '{number}' = '' OR NEW."Number" = '{number}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;""",
        _ => "DROP TRIGGER inject_failure;",
    }));
}
