using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrderHub.Api.Alerts;
using OrderHub.Api.Auditing;
using OrderHub.Api.ControlPanel;
using OrderHub.Api.Demo;
using OrderHub.Api.Dispatching;
using OrderHub.Api.Features;
using OrderHub.Api.Features.Catalog;
using OrderHub.Api.Features.Shadow;
using OrderHub.Api.Features.PosFeed;
using OrderHub.Api.Features.Reconciliation;
using OrderHub.Api.Features.Webhooks.ReceivePosterEvent;
using OrderHub.Api.Fiscalization;
using OrderHub.Api.Inbox;
using OrderHub.Api.Infrastructure;
using OrderHub.Api.Messages;
using OrderHub.Api.OpenApi;
using OrderHub.Api.Persistence;
using OrderHub.Api.Processing;
using OrderHub.Api.Retention;
using OrderHub.Api.Security;
using OrderHub.Api.Telemetry;
using OrderHub.Integrations.Pos;
using OrderHub.Simulators;

var builder = WebApplication.CreateBuilder(args);
var services = builder.Services;

services.AddSingleton(TimeProvider.System);
services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsExceptionHandler.InReaderLanguage);
services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    // "Last one wins" would let a body say two things at once ({"companyId":B,"companyId":A}): a 400 naming it.
    o.SerializerOptions.AllowDuplicateProperties = false;
});
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = RequestBodyLimit.MaxBytes);
// Binding failures (bad JSON, a wrong type in the query) throw, so the exception handler answers a ProblemDetails naming the field.
services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

services.AddOrderHubPersistence(builder.Configuration, builder.Environment);
services.AddOrderHubDataProtection(builder.Configuration);

services.AddSingleton<SecretProtector>();
services.AddOrderHubInbox(builder.Configuration);
services.AddOrderHubDispatcher(builder.Configuration);
services.AddOrderHubPosFeed(builder.Configuration);
services.AddOrderHubRetention(builder.Configuration);
services.AddOrderHubCatalog(builder.Configuration);
services.AddOrderHubPosClients(builder.Configuration);
services.AddOrderHubFiscal(builder.Configuration);
services.AddOrderHubAlerts(builder.Configuration);
services.AddOrderHubReconciliation(builder.Configuration); // Daily reconciliation (Features/Reconciliation).
services.AddOrderHubProcessing();
services.AddOrderHubTelemetry(builder.Configuration);
services.AddOptions<PosterAppOptions>().Bind(builder.Configuration.GetSection(PosterAppOptions.SectionName)).ValidateDataAnnotations();
var hostSimulators = builder.Configuration.GetValue("Simulators:Enabled", false);
if (hostSimulators)
{
    services.AddPosSimulators(builder.Configuration);
}
services.AddOrderHubMediator(typeof(Program).Assembly);
services.AddAutoMapper(cfg => cfg.LicenseKey = builder.Configuration["AutoMapper:LicenseKey"], typeof(Program).Assembly);

services.AddSingleton<AuditTrail>();
services.AddSingleton<IInterceptor, AuditInterceptor>();
services.AddOrderHubAuthentication(builder.Configuration);
services.AddAuthorization();
services.AddOrderHubPanel();
services.AddOrderHubAccessScope();
services.AddOrderHubHealthChecks();
services.AddOrderHubSwagger(builder.Configuration);
services.AddOrderHubDemo(builder.Configuration);
services.AddOrderHubGoLive(); // shadow mode and test orders (issue 18)

var app = builder.Build();
app.UseOrderHubSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseOrderHubRequestBodyLimit();

await app.Services.MigrateOrderHubDatabaseAsync();
await app.Services.SeedDemoAsync();

app.UseOrderHubSwagger();
app.UseStaticFiles();
app.UseOrderHubPanelLocalization();
app.UseOrderHubApiLanguage();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.MapOrderHubHealth();
app.MapOrderHubEndpoints();
app.MapRazorPages();
if (hostSimulators)
{
    // The demo's POS: Poster and a webhook POS stand-ins under /simulator (see README, "Try it").
    app.MapPosSimulators("/simulator");
    app.MapTelegramSimulator("/simulator", app.Configuration.GetSection("Simulators:TelegramBots").Get<string[]>());
}

await app.RunAsync();

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
