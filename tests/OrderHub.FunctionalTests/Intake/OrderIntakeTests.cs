using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Orders;
using OrderHub.Domain.Export;
using OrderHub.Domain.Orders;
using OrderHub.FunctionalTests.Infrastructure;

namespace OrderHub.FunctionalTests.Intake;

public sealed class SqliteOrderIntakeTests() : OrderIntakeTests(new SqliteTestDatabase());

public sealed class PostgresOrderIntakeTests() : OrderIntakeTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerOrderIntakeTests() : OrderIntakeTests(new SqlServerTestDatabase());

/// <summary>Accepted Dots orders through the signed webhook into the database, resolved and queued or parked.</summary>
public abstract class OrderIntakeTests(ITestDatabase database) : ProviderTestBase(database)
{
    [Fact]
    public async Task Accepted_delivery_order_is_stored_resolved_and_queued_with_its_history()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);

        var response = await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedDelivery);

        var receipt = await response.ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        receipt.Outcome.ShouldBe("applied");
        receipt.ExportState.ShouldBe("Queued");
        var order = await GetOrderAsync(receipt.OrderId!.Value);
        order.Number.ShouldBe("DT-104233");
        order.PickupPointId.ShouldBe(tenant.KyivPointId);
        order.ExportState.ShouldBe("Queued");
        order.Total.ShouldBe(819.00m);
        order.DeliveryPrice.ShouldBe(60.00m);
        order.Paid.ShouldBeTrue();
        order.Address!.ReceiptContact.ShouldBe("andrii.receipts@example.com");
        order.Lines.Select(l => (l.DotsProductId, l.ExternalProductId, l.ExternalVariantId)).ShouldBe(
        [
            ("dots-prod-pizza-margherita", "101", null),
            ("dots-prod-cola", "201", "2011"),
            ("dots-prod-tiramisu", "301", null),
        ]);
        order.Lines[0].Modifiers.Select(m => m.ExternalId).ShouldBe(["11", "12"]);
        order.Promotions.Single().ExternalId.ShouldBe("7");
        order.History.Select(h => h.Action).ShouldBe(["order.received", "order.resolved", "export.queued"]);
        order.History[0].Actor.ShouldBe("dots:manager:olena.k");

        var entry = await Factory.WithDbAsync(db => db.ExportQueue.SingleAsync(e => e.OrderId == order.Id));
        entry.State.ShouldBe(ExportQueueState.Pending);
        entry.PickupPointId.ShouldBe(tenant.KyivPointId);
        var raw = await Factory.WithDbAsync(db => db.Orders.Where(o => o.Id == order.Id).Select(o => o.RawPayload).SingleAsync());
        raw.ShouldBe(Fixtures.Read(Fixtures.AcceptedDelivery));
    }

    [Fact]
    public async Task Accepted_pickup_cash_order_is_stored_unpaid_at_its_own_pickup_point()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);

        var response = await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedPickupCash);

        var receipt = await response.ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        var order = await GetOrderAsync(receipt.OrderId!.Value);
        order.PickupPointId.ShouldBe(tenant.LvivPointId);
        order.Paid.ShouldBeFalse();
        order.PaymentType.ShouldBe("cash");
        order.Address.ShouldBeNull();
        order.DeliveryTime.ShouldBe(DateTimeOffset.Parse("2026-11-20T17:45:00Z"));
        order.Lines.Select(l => l.ExternalVariantId).ShouldBe([null, "5012"]);
        order.Lines[0].Modifiers.Single().ExternalId.ShouldBe("13");
    }

    [Fact]
    public async Task Five_concurrent_copies_of_one_event_make_one_order()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => sender.SendFixtureAsync(Fixtures.AcceptedDelivery)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Accepted).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(4);
        var receipts = await Task.WhenAll(responses.Select(r => r.ShouldBeProcessedAsync(r.StatusCode)));
        receipts.Select(r => r.OrderId).Distinct().Count().ShouldBe(1);
        (await CountAsync(db => db.Orders)).ShouldBe(1);
        (await CountAsync(db => db.ExportQueue)).ShouldBe(1);
        (await CountAsync(db => db.InboundEvents)).ShouldBe(1);
        (await CountAsync(db => db.OrderActions.Where(a => a.Action == "order.received"))).ShouldBe(1);

        // Losing the unique-key race is the expected idempotency path: no error in the logs for it.
        Factory.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)
                                      && (l.Contains("UNIQUE constraint", StringComparison.Ordinal) || l.Contains("23505", StringComparison.Ordinal)))
            .ShouldBeEmpty();
    }

    [Fact]
    public async Task Concurrent_orders_with_copies_among_them_commit_together_each_once_with_its_own_answer()
    {
        // Many requests at once share commits (group commit); a copy losing the unique-key race inside a group
        // must not cost the other orders of that group their commit, and each request gets its own answer.
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        var events = Enumerable.Range(0, 24).Select(i =>
        {
            var json = Fixtures.Json(Fixtures.AcceptedDelivery);
            json["eventId"] = $"evt_group_{i}";
            json["order"]!["id"] = $"dots-order-group-{i}";
            json["order"]!["number"] = $"DT-G{i:00}";
            return json;
        }).ToList();

        // Every third order is sent three times at once (the copies under one webhook-id), the rest once.
        var sends = events.SelectMany((e, i) => Enumerable.Repeat(e, i % 3 == 0 ? 3 : 1)).ToList();
        var responses = await Task.WhenAll(sends.Select(e => sender.SendAsync(e)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Accepted).ShouldBe(24);
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(16);
        var receipts = await Task.WhenAll(responses.Select(r => r.ShouldBeProcessedAsync(r.StatusCode)));
        receipts.Select(r => r.OrderId).Distinct().Count().ShouldBe(24);
        receipts.ShouldAllBe(r => r.OrderId != null);
        (await CountAsync(db => db.Orders)).ShouldBe(24);
        (await CountAsync(db => db.ExportQueue)).ShouldBe(24);
        (await CountAsync(db => db.InboundEvents)).ShouldBe(24);
        (await CountAsync(db => db.OrderActions.Where(a => a.Action == "order.received"))).ShouldBe(24);
        foreach (var id in receipts.Where(r => r.Outcome == "applied").Select(r => r.OrderId!.Value).Distinct())
        {
            var order = await GetOrderAsync(id);
            order.Lines.Count.ShouldBe(3);
            order.Lines[0].Modifiers.Count.ShouldBe(2);
            order.History.Select(h => h.Action).ShouldBe(["order.received", "order.resolved", "export.queued"]);
        }
    }

    [Fact]
    public async Task The_same_order_under_a_new_webhook_id_is_processed_as_a_duplicate_of_the_existing_order_and_does_nothing_new()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        var first = await (await sender.SendFixtureAsync(Fixtures.AcceptedDelivery)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        var actionsBefore = await CountAsync(db => db.OrderActions);

        var again = Fixtures.Json(Fixtures.AcceptedDelivery);
        again["eventId"] = "evt_a_later_retry_with_a_new_id";
        var second = await (await sender.SendAsync(again)).ShouldBeProcessedAsync(HttpStatusCode.Accepted); // a new webhook-id: a new inbox event

        second.Outcome.ShouldBe("duplicate");
        second.OrderId.ShouldBe(first.OrderId);
        (await CountAsync(db => db.Orders)).ShouldBe(1);
        (await CountAsync(db => db.OrderActions)).ShouldBe(actionsBefore);
    }

    [Fact]
    public async Task A_missing_modifier_leaves_the_order_in_NeedsMapping_naming_it()
    {
        var tenant = await new TestTenant().WithoutMapping("dots-mod-thin-crust").CreateAsync(Factory);

        var receipt = await (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedDelivery))
            .ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        receipt.ExportState.ShouldBe("NeedsMapping");
        var order = await GetOrderAsync(receipt.OrderId!.Value);
        order.Problem.ShouldBe("MissingExternalId");
        var missing = order.History.Single(h => h.Action == "mapping.missing");
        missing.Reason.ShouldBe("MissingExternalId");
        missing.Message.ShouldContain("dots-mod-thin-crust");
        missing.Message.ShouldContain("Тонке тісто");
        missing.Message.ShouldContain("modifier");
        missing.FixHint!.ShouldContain("Add the external ID for modifier 'Тонке тісто' (dots-mod-thin-crust) at pickup point 'Хрещатик'");
        missing.Details!.ShouldContain("\"kind\":\"Modifier\"", customMessage: "enums in history details are names, as everywhere in the API");
        order.History.ShouldNotContain(h => h.Action == "export.queued");
        (await CountAsync(db => db.ExportQueue)).ShouldBe(0);
    }

    [Fact]
    public async Task Every_missing_item_is_named_once()
    {
        var tenant = await new TestTenant()
            .WithoutMapping("dots-prod-cola").WithoutMapping("dots-var-cola-05").WithoutMapping("dots-promo-2nd-pizza-20")
            .CreateAsync(Factory);

        var receipt = await (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedDelivery))
            .ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        var order = await GetOrderAsync(receipt.OrderId!.Value);
        order.History.Where(h => h.Action == "mapping.missing").Select(h => JsonDocument.Parse(h.Details!).RootElement.GetProperty("dotsId").GetString())
            .ShouldBe(["dots-prod-cola", "dots-var-cola-05", "dots-promo-2nd-pizza-20"]);
    }

    [Fact]
    public async Task With_auto_sync_off_a_resolved_order_waits_in_AwaitingExport()
    {
        var tenant = await new TestTenant().WithAutoSync(false).CreateAsync(Factory);

        var receipt = await (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedDelivery))
            .ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        receipt.ExportState.ShouldBe("AwaitingExport");
        var order = await GetOrderAsync(receipt.OrderId!.Value);
        order.History.Last().Action.ShouldBe("export.awaiting");
        order.History.Last().Message.ShouldContain("Auto-sync on acceptance is off");
        (await CountAsync(db => db.ExportQueue)).ShouldBe(0);
    }

    [Fact]
    public async Task Without_a_POS_integration_a_resolved_order_waits_with_a_hint()
    {
        var tenant = await new TestTenant().WithoutIntegration().CreateAsync(Factory);

        var receipt = await (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedDelivery))
            .ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        receipt.ExportState.ShouldBe("AwaitingExport");
        var order = await GetOrderAsync(receipt.OrderId!.Value);
        order.History.Last().Reason.ShouldBe("NoPosIntegration");
        order.History.Last().FixHint!.ShouldContain("Set up the POS integration of pickup point 'Хрещатик'");
    }

    [Fact]
    public async Task A_status_change_after_queueing_records_the_drift_warning()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        var accepted = await (await sender.SendFixtureAsync(Fixtures.AcceptedDelivery)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        var changed = await (await sender.SendFixtureAsync(Fixtures.StatusChanged)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        changed.OrderId.ShouldBe(accepted.OrderId);
        var order = await GetOrderAsync(accepted.OrderId!.Value);
        order.DotsStatus.ShouldBe("on_the_way");
        order.ExportState.ShouldBe("Queued");
        order.Problem.ShouldBe("StatusChangedAfterExport");
        order.History.ShouldContain(h => h.Action == "dots.status_changed" && h.Message.Contains("'on_the_way'") && h.Actor == "dots:manager:olena.k");
        var warning = order.History.Single(h => h.Action == "dots.status_after_export");
        warning.Outcome.ShouldBe("Warning");
        warning.Message.ShouldContain("status changed after export: the POS is not updated", Case.Insensitive);
    }

    [Fact]
    public async Task A_status_change_before_export_is_recorded_without_a_warning()
    {
        var tenant = await new TestTenant().WithAutoSync(false).CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        var accepted = await (await sender.SendFixtureAsync(Fixtures.AcceptedDelivery)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        await (await sender.SendFixtureAsync(Fixtures.StatusChanged)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        await (await sender.SendFixtureAsync(Fixtures.StatusChanged)).ShouldBeProcessedAsync(HttpStatusCode.OK);

        var order = await GetOrderAsync(accepted.OrderId!.Value);
        order.Problem.ShouldBeNull();
        order.History.Count(h => h.Action == "dots.status_changed").ShouldBe(1);
        order.History.ShouldNotContain(h => h.Outcome == "Warning");
    }

    [Fact]
    public async Task A_cancel_before_export_takes_the_order_out_of_the_queue()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        var accepted = await (await sender.SendFixtureAsync(Fixtures.AcceptedDelivery)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        var cancelled = await (await sender.SendFixtureAsync(Fixtures.Cancelled)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        cancelled.ExportState.ShouldBe("Cancelled");
        var entry = await Factory.WithDbAsync(db => db.ExportQueue.SingleAsync(e => e.OrderId == accepted.OrderId));
        entry.State.ShouldBe(ExportQueueState.Cancelled);
        var order = await GetOrderAsync(accepted.OrderId!.Value);
        order.DotsStatus.ShouldBe("cancelled");
        order.History.ShouldContain(h => h.Action == "dots.cancelled" && h.Message.Contains("Клієнт відмовився"));
        order.History.ShouldContain(h => h.Action == "export.cancelled");
    }

    [Fact]
    public async Task A_cancel_after_export_at_Poster_flags_the_order_for_action_at_the_register()
    {
        var tenant = await new TestTenant().WithPoster("pizza-test", "1:0123456789abcdef0123456789abcdef").CreateAsync(Factory);
        var accepted = await SendAndMarkExportedAsync(tenant);

        await (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.Cancelled)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        var details = await GetOrderAsync(accepted);
        details.ExportState.ShouldBe("Exported");
        details.Problem.ShouldBe("CancelledAfterExport");
        details.History.Last().Action.ShouldBe("pos.register_action_needed");
        details.History.Last().FixHint!.ShouldContain("cancel (reject or delete) the order at the register");
        (await CountAsync(db => db.ExportQueue.Where(e => e.Kind == ExportQueueKind.Cancel))).ShouldBe(0);
    }

    [Fact]
    public async Task A_cancel_after_export_to_a_webhook_POS_is_queued_for_it()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var accepted = await SendAndMarkExportedAsync(tenant);

        await (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.Cancelled)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        var details = await GetOrderAsync(accepted);
        details.ExportState.ShouldBe("Exported");
        details.History.Last().Action.ShouldBe("pos.cancel_queued");
        (await CountAsync(db => db.ExportQueue.Where(e => e.OrderId == accepted && e.Kind == ExportQueueKind.Cancel && e.State == ExportQueueState.Pending))).ShouldBe(1);
    }

    private async Task<Guid> SendAndMarkExportedAsync(TestTenant tenant)
    {
        var accepted = await (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedDelivery)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        await Factory.WithDbAsync(async db =>
        {
            var order = await db.Orders.SingleAsync(o => o.Id == accepted.OrderId);
            order.MarkExported();
            var entry = await db.ExportQueue.SingleAsync(e => e.OrderId == order.Id);
            entry.State = ExportQueueState.Done;
            return await db.SaveChangesAsync();
        });
        return accepted.OrderId!.Value;
    }

    [Fact]
    public async Task A_status_event_for_an_order_not_received_yet_is_stored_and_applied_once_the_order_arrives()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);

        var early = await sender.PostFixtureAsync(Fixtures.StatusChanged);

        early.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await CountAsync(db => db.InboundEvents)).ShouldBe(0);
        var accepted = await (await sender.SendFixtureAsync(Fixtures.AcceptedDelivery)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        var applied = await sender.WaitUntilProcessedAsync(early);
        applied.Outcome.ShouldBe("applied");
        applied.OrderId.ShouldBe(accepted.OrderId);
        (await GetOrderAsync(accepted.OrderId!.Value)).DotsStatus.ShouldBe("on_the_way");
    }

    [Fact]
    public async Task An_unknown_pickup_point_is_accepted_kept_as_unrouted_and_can_be_replayed_after_configuring_it()
    {
        var tenant = await new TestTenant().WithoutLvivPoint().CreateAsync(Factory);
        var api = Factory.CreateApiClient();

        var response = await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedPickupCash);

        var processed = await response.ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        processed.Outcome.ShouldBe("unrouted");
        var eventId = processed.EventId;
        (await CountAsync(db => db.Orders)).ShouldBe(0);
        var unrouted = await (await api.GetAsync("/api/unrouted")).ShouldBeAsync<List<JsonObject>>(HttpStatusCode.OK);
        unrouted.Single()["id"]!.GetValue<Guid>().ShouldBe(eventId);
        unrouted.Single()["dotsAddressId"]!.GetValue<string>().ShouldBe(Fixtures.LvivAddressId);
        unrouted.Single()["fixHint"]!.GetValue<string>().ShouldContain("then replay this event");

        (await api.PostAsync($"/api/unrouted/{eventId}/replay", null)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        await Factory.WithDbAsync(db =>
        {
            db.PickupPoints.Add(new Domain.Tenancy.PickupPoint { CompanyId = tenant.CompanyId, DotsAddressId = Fixtures.LvivAddressId, Name = "Площа Ринок" });
            return db.SaveChangesAsync();
        });
        var replayed = await (await api.PostAsync($"/api/unrouted/{eventId}/replay", null)).ShouldBeAsync<DotsEventReceipt>(HttpStatusCode.OK);

        replayed.Outcome.ShouldBe("applied");
        var order = await GetOrderAsync(replayed.OrderId!.Value);
        order.Number.ShouldBe("DT-104251");
        order.ExportState.ShouldBe("AwaitingExport"); // the new point has no POS yet
        (await (await api.GetAsync("/api/unrouted")).ShouldBeAsync<List<JsonObject>>(HttpStatusCode.OK)).ShouldBeEmpty();
        (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedPickupCash)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = Fixtures.Json(Fixtures.AcceptedPickupCash);
        again["eventId"] = "evt_pickup_resent_with_a_new_id";
        (await (await tenant.Sender(Factory).SendAsync(again)).ShouldBeProcessedAsync(HttpStatusCode.Accepted)).Outcome.ShouldBe("duplicate");
    }

    [Fact]
    public async Task Dots_resending_an_unrouted_order_under_a_new_webhook_id_after_the_point_exists_applies_it()
    {
        var tenant = await new TestTenant().WithoutLvivPoint().CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        (await (await sender.SendFixtureAsync(Fixtures.AcceptedPickupCash)).ShouldBeProcessedAsync(HttpStatusCode.Accepted)).Outcome.ShouldBe("unrouted");
        (await sender.SendFixtureAsync(Fixtures.AcceptedPickupCash)).StatusCode.ShouldBe(HttpStatusCode.OK); // the same webhook-id
        (await CountAsync(db => db.InboundEvents)).ShouldBe(1);

        await Factory.WithDbAsync(db =>
        {
            db.PickupPoints.Add(new Domain.Tenancy.PickupPoint { CompanyId = tenant.CompanyId, DotsAddressId = Fixtures.LvivAddressId, Name = "Площа Ринок" });
            return db.SaveChangesAsync();
        });
        var resent = Fixtures.Json(Fixtures.AcceptedPickupCash);
        resent["eventId"] = "evt_pickup_resent_after_the_point_exists";
        var receipt = await (await sender.SendAsync(resent)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        receipt.Outcome.ShouldBe("applied");
        (await CountAsync(db => db.InboundEvents)).ShouldBe(1);
        (await CountAsync(db => db.Orders)).ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_event_type_is_kept_and_ignored_with_a_history_note()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var body = new JsonObject
        {
            ["version"] = "1",
            ["eventId"] = "evt_unknown_1",
            ["event"] = "order.rated",
            ["occurredAt"] = "2026-11-20T20:00:00+02:00",
            ["order"] = new JsonObject { ["id"] = Fixtures.DeliveryOrderId, ["stars"] = 5 },
        };

        var receipt = await (await tenant.Sender(Factory).SendAsync(body)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        receipt.Outcome.ShouldBe("ignored");
        var kept = await Factory.WithDbAsync(db => db.InboundEvents.SingleAsync());
        kept.State.ShouldBe(Domain.Inbound.InboundEventState.Ignored);
        kept.RawPayload.ShouldBe(body.ToJsonString());
        var note = await Factory.WithDbAsync(db => db.OrderActions.SingleAsync(a => a.InboundEventId == kept.Id));
        note.Message.ShouldContain("order.rated");
        (await CountAsync(db => db.Orders)).ShouldBe(0);
    }

    [Fact]
    public async Task A_kopeck_of_rounding_in_the_total_is_accepted_with_a_warning()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var body = Fixtures.Json(Fixtures.AcceptedDelivery);
        body["order"]!["total"] = 819.01m;

        var receipt = await (await tenant.Sender(Factory).SendAsync(body)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        receipt.ExportState.ShouldBe("Queued");
        var order = await GetOrderAsync(receipt.OrderId!.Value);
        order.Total.ShouldBe(819.01m);
        order.History.Single(h => h.Action == "order.total_mismatch").Reason.ShouldBe("TotalMismatch");
    }

    [Fact]
    public async Task Manual_export_after_adding_the_missing_mapping_queues_the_order()
    {
        var tenant = await new TestTenant().WithoutMapping("dots-mod-thin-crust").CreateAsync(Factory);
        var api = Factory.CreateApiClient();
        var receipt = await (await tenant.Sender(Factory).SendFixtureAsync(Fixtures.AcceptedDelivery)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);

        var refused = await (await api.PostAsync($"/api/orders/{receipt.OrderId}/export", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        refused.GetProperty("missing")[0].GetProperty("dotsId").GetString().ShouldBe("dots-mod-thin-crust");

        await Factory.WithDbAsync(db =>
        {
            db.ExternalIds.Add(new Domain.Mappings.ExternalIdMapping
            {
                CompanyId = tenant.CompanyId, PickupPointId = tenant.KyivPointId, ScopeId = tenant.KyivPointId,
                Kind = Domain.Mappings.ExternalIdKind.Modifier, DotsId = "dots-mod-thin-crust", ExternalId = "12",
            });
            return db.SaveChangesAsync();
        });
        await Factory.WithDbAsync(async db =>
        {
            var point = await db.PickupPoints.SingleAsync(p => p.Id == tenant.KyivPointId);
            point.UseCompanyDefaults = false; // the override above applies only when the point does not use defaults only
            return await db.SaveChangesAsync();
        });
        var exported = await api.PostAsync($"/api/orders/{receipt.OrderId}/export", null);

        exported.StatusCode.ShouldBe(HttpStatusCode.Accepted, await exported.Content.ReadAsStringAsync());
        var order = await GetOrderAsync(receipt.OrderId!.Value);
        order.ExportState.ShouldBe("Queued");
        order.Problem.ShouldBeNull();
        order.Lines[0].Modifiers[1].ExternalId.ShouldBe("12");
        order.History.ShouldContain(h => h.Action == "export.requested" && h.Actor == "user:tests");
        (await CountAsync(db => db.ExportQueue)).ShouldBe(1);
        (await api.PostAsync($"/api/orders/{receipt.OrderId}/export", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Orders_list_filters_by_pickup_point_state_and_problems()
    {
        var tenant = await new TestTenant().WithoutMapping("dots-prod-burger-classic").CreateAsync(Factory);
        var sender = tenant.Sender(Factory);
        await (await sender.SendFixtureAsync(Fixtures.AcceptedDelivery)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        await (await sender.SendFixtureAsync(Fixtures.AcceptedPickupCash)).ShouldBeProcessedAsync(HttpStatusCode.Accepted);
        var api = Factory.CreateApiClient();

        var all = await (await api.GetAsync("/api/orders")).ShouldBeAsync<Page<OrderSummaryDto>>(HttpStatusCode.OK);
        var kyiv = await (await api.GetAsync($"/api/orders?pickupPointId={tenant.KyivPointId}")).ShouldBeAsync<Page<OrderSummaryDto>>(HttpStatusCode.OK);
        var needsMapping = await (await api.GetAsync("/api/orders?state=NeedsMapping")).ShouldBeAsync<Page<OrderSummaryDto>>(HttpStatusCode.OK);
        var problems = await (await api.GetAsync("/api/orders?problemsOnly=true")).ShouldBeAsync<Page<OrderSummaryDto>>(HttpStatusCode.OK);
        var paged = await (await api.GetAsync("/api/orders?page=2&pageSize=1")).ShouldBeAsync<Page<OrderSummaryDto>>(HttpStatusCode.OK);

        all.TotalCount.ShouldBe(2);
        kyiv.Items.Single().Number.ShouldBe("DT-104233");
        needsMapping.Items.Single().Number.ShouldBe("DT-104251");
        problems.Items.Single().Problem.ShouldBe("MissingExternalId");
        paged.Items.Single().Number.ShouldBe(all.Items[1].Number);
        await (await api.GetAsync("/api/orders?state=Nonsense")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "state");
        await (await api.GetAsync("/api/orders?pageSize=100000")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "pageSize");
    }

    private async Task<OrderDetailsDto> GetOrderAsync(Guid id) =>
        await (await Factory.CreateApiClient().GetAsync($"/api/orders/{id}")).ShouldBeAsync<OrderDetailsDto>(HttpStatusCode.OK);
}
