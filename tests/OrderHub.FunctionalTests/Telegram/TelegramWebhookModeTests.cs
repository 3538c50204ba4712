using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OrderHub.Api.Features.Telegram.CreateChatCode;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Telegram;

/// <summary><c>Telegram:UpdatesMode=Webhook</c>: the bot's webhook is set with a secret token, and updates are taken only with it.</summary>
public abstract class TelegramWebhookModeTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const long BotId = 7012345678;

    private TelegramSimulatorServer Telegram { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Telegram:Enabled"] = "true",
        ["Telegram:ApiBaseUrl"] = Telegram.ApiBaseUrl,
        ["Telegram:UpdatesMode"] = "Webhook",
        ["Telegram:PublicBaseUrl"] = "https://orderhub.example/",
        ["Telegram:GroupingDelay"] = "00:00:00",
        ["Telegram:PerChatInterval"] = "00:00:00.010",
        ["Telegram:SenderPollInterval"] = "00:00:00.100",
    };

    protected static readonly DateTimeOffset Midday = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    public override async Task InitializeAsync()
    {
        await Telegram.StartAsync();
        await base.InitializeAsync();

        // Midday in Kyiv: far from the chats' default end-of-day report time (23:00 local), whenever the suite runs.
        Factory.Clock.Set(Midday);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Telegram.DisposeAsync();
    }

    [Fact]
    public async Task Updates_arrive_by_webhook_only_with_the_secret_token_OrderHub_gave_Telegram()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        var api = Factory.CreateApiClient();
        var saved = await api.PutAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-bot", new { token = TelegramSimulatorServer.BotToken });
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var bot = Telegram.Simulator.Bot(TelegramSimulatorServer.BotToken)!;
        bot.WebhookUrl.ShouldBe($"https://orderhub.example/webhooks/telegram/{BotId}");
        var secret = bot.WebhookSecret.ShouldNotBeNull();
        secret.Length.ShouldBeGreaterThanOrEqualTo(32);
        var code = await (await api.PostAsJsonAsync($"/api/companies/{tenant.CompanyId}/telegram-chat-codes", new { pickupPointId = tenant.KyivPointId }))
            .Content.ReadFromJsonAsync<ChatCodeDto>();

        var forged = await PostUpdateAsync(BotId, code!.Command, "not-the-secret-token-0123456789abcdef");
        await forged.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var missing = await PostUpdateAsync(BotId, code.Command, null);
        await missing.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await PostUpdateAsync(BotId + 1, code.Command, secret)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Factory.WithDbAsync(db => db.TelegramChats.CountAsync())).ShouldBe(0);

        (await PostUpdateAsync(BotId, code.Command, secret)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Telegram.WaitForMessageAsync(-100, m => m.Text.StartsWith("✅"), "the welcome after a webhook update");
        (await Factory.WithDbAsync(db => db.TelegramChats.SingleAsync())).PickupPointId.ShouldBe(tenant.KyivPointId);
    }

    private async Task<HttpResponseMessage> PostUpdateAsync(long botId, string text, string? secret)
    {
        var update = new JsonObject
        {
            ["update_id"] = 1,
            ["message"] = new JsonObject
            {
                ["message_id"] = 5,
                ["date"] = 1_764_000_000,
                ["chat"] = new JsonObject { ["id"] = -100, ["type"] = "group", ["title"] = "Managers" },
                ["from"] = new JsonObject { ["id"] = 42, ["first_name"] = "Olena" },
                ["text"] = text,
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{botId}") { Content = JsonContent.Create(update) };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        return await Factory.CreateClient().SendAsync(request);
    }
}

public sealed class SqliteTelegramWebhookModeTests() : TelegramWebhookModeTests(new SqliteTestDatabase());

public sealed class PostgresTelegramWebhookModeTests() : TelegramWebhookModeTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerTelegramWebhookModeTests() : TelegramWebhookModeTests(new SqlServerTestDatabase());
