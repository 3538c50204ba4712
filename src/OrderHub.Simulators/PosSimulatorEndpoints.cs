using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrderHub.Simulators;

public static class PosSimulatorEndpoints
{
    /// <summary>Binds <see cref="PosSimulatorOptions"/> from the <c>Simulators</c> section.</summary>
    public static IServiceCollection AddPosSimulators(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PosSimulatorOptions>().Bind(configuration.GetSection(PosSimulatorOptions.SectionName));
        return services;
    }

    /// <summary>
    /// Maps the Poster stand-in (<c>{prefix}/poster/{account}/api/...</c>), the webhook POS
    /// (<c>{prefix}/pos/{path}</c>) and fault control (<c>{prefix}/control</c>). Options come from the argument,
    /// else from DI (<see cref="AddPosSimulators"/>), else empty. Returns the simulator's state, for tests.
    /// </summary>
    public static PosSimulator MapPosSimulators(this IEndpointRouteBuilder endpoints, string prefix = "", PosSimulatorOptions? options = null)
    {
        var services = endpoints.ServiceProvider;
        options ??= services.GetService<IOptions<PosSimulatorOptions>>()?.Value ?? new PosSimulatorOptions();
        var simulator = new PosSimulator(options, services.GetService<TimeProvider>() ?? TimeProvider.System);

        var group = endpoints.MapGroup(prefix).ExcludeFromDescription();
        PosterSimulatorEndpoints.Map(group, simulator);
        WebhookPosSimulatorEndpoints.Map(group, simulator);
        CheckboxSimulatorEndpoints.Map(group, simulator.Fiscal);
        CashalotSimulatorEndpoints.Map(group, simulator.Fiscal);
        FiscalSimulator.MapControl(group, simulator.Fiscal);

        group.MapPost("/control", (FaultSettings settings) =>
        {
            simulator.SetFaults(settings);
            return Results.Ok(simulator.CurrentFaults());
        });
        group.MapGet("/control", () => Results.Ok(simulator.CurrentFaults()));
        group.MapGet("/control/stats", () => Results.Ok(simulator.Stats()));
        // body=false leaves the bodies out: a drill reading 100,000 orders back needs only ids, markers and times.
        group.MapGet("/control/orders", (string? target, bool? body) => Results.Ok(simulator.Orders(target).Select(o => new
        {
            o.Target,
            o.Kind,
            o.PosOrderId,
            o.MessageId,
            o.Marker,
            o.Status,
            o.ReceivedAt,
            Body = body == false ? null : o.Body,
        })));
        group.MapPost("/control/reset", () =>
        {
            simulator.Reset();
            return Results.NoContent();
        });

        // A cashier accepting (1) or rejecting (7) an online order on the simulated Poster register.
        // Like Poster, it then fires the account application's incoming_order webhook, when one is configured.
        group.MapPost("/control/poster/{account}/orders/{id}/status/{status:int}", async (string account, string id, int status, CancellationToken ct) =>
        {
            if (!simulator.SetStatus("poster/" + account, id, status))
            {
                return Results.NotFound();
            }

            var settings = options.PosterAccounts.FirstOrDefault(a => a.Account == account);
            if (settings is { WebhookUrl.Length: > 0, ApplicationSecret.Length: > 0 })
            {
                var delivered = await PosterWebhookSender.SendAsync(settings, "incoming_order", id, "changed", simulator.Time, ct);
                return Results.Ok(new { webhookStatus = delivered });
            }

            return Results.NoContent();
        });

        // A cashier's operation on a check at the simulated Poster register (a removed item, a deleted check...).
        // Like Poster, it then fires the application's transaction webhook, without data: OrderHub reads the history back.
        group.MapPost("/control/poster/{account}/transactions/{id}/history", async (string account, string id, SimulatedRegisterOperation operation, CancellationToken ct) =>
        {
            simulator.Transactions.Add(account, id, operation, simulator.Time.GetUtcNow());
            var settings = options.PosterAccounts.FirstOrDefault(a => a.Account == account);
            if (settings is { WebhookUrl.Length: > 0, ApplicationSecret.Length: > 0 })
            {
                var delivered = await PosterWebhookSender.SendAsync(settings, "transaction", id, "changed", simulator.Time, ct);
                return Results.Ok(new { webhookStatus = delivered });
            }

            return Results.NoContent();
        });

        PosterReconciliationControls.Map(group, simulator);
        return simulator;
    }
}
