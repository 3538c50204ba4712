using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OrderHub.Domain.Alerts;
using OrderHub.FunctionalTests.Infrastructure;
using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Panel;

public sealed class SqlitePanelTelegramTests() : PanelTelegramTests(new SqliteTestDatabase());

public sealed class PostgresPanelTelegramTests() : PanelTelegramTests(new PostgresTestDatabase());

[RequiresSqlServer]
public sealed class SqlServerPanelTelegramTests() : PanelTelegramTests(new SqlServerTestDatabase());

/// <summary>
/// The company page's Telegram section over HTTP, with the update poller and the Telegram simulator on loopback:
/// the token write-only, the chat code shown once and working with <c>/start</c>, the chat's alerts edited.
/// </summary>
public abstract partial class PanelTelegramTests(ITestDatabase database) : ProviderTestBase(database)
{
    private const long KyivChat = -4100;

    private TelegramSimulatorServer Telegram { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Telegram:Enabled"] = "true",
        ["Telegram:ApiBaseUrl"] = Telegram.ApiBaseUrl,
        ["Telegram:PublicBaseUrl"] = "https://orderhub.example",
        ["Telegram:GroupingDelay"] = "00:00:00",
        ["Telegram:PerChatInterval"] = "00:00:00.010",
        ["Telegram:SenderPollInterval"] = "00:00:00.100",
        ["Telegram:PollTimeout"] = "00:00:01",
        ["Telegram:PollErrorDelay"] = "00:00:00.200",
    };

    public override async Task InitializeAsync()
    {
        await Telegram.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Telegram.DisposeAsync();
    }

    [Fact]
    public async Task The_bot_token_is_write_only_the_chat_code_is_shown_once_and_works_with_start_and_the_chats_alerts_are_edited()
    {
        var tenant = await new TestTenant().CreateAsync(Factory);
        await TestUsers.CreateAsync(Factory, "vira", "manager", tenant.CompanyId);
        await TestUsers.CreateAsync(Factory, "bohdan", "support", tenant.CompanyId);
        var panel = new PanelClient(Factory);
        await panel.SignInAsync("vira", TestUsers.Password);
        var company = $"/panel/companies/{tenant.CompanyId}?tab=telegram";

        var empty = await panel.GetPageAsync(company);
        empty.ShouldContain("Бота не підключено.");
        empty.ShouldNotContain("data-testid=\"create-chat-code\"");

        var bad = await FollowAsync(panel, await panel.PostFormAsync(company, company + "&handler=Bot", new Dictionary<string, string> { ["token"] = "not a token", ["enabled"] = "true" }));
        bad.ShouldContain("Token: Має бути токен Bot API"); // in the panel's language
        var saved = await FollowAsync(panel, await panel.PostFormAsync(company, company + "&handler=Bot",
            new Dictionary<string, string> { ["token"] = TelegramSimulatorServer.BotToken, ["enabled"] = "true" }));
        saved.ShouldContain("Бота збережено.");
        saved.ShouldContain("data-testid=\"has-token\"><span class=\"badge ok\">задано");
        saved.ShouldNotContain(TelegramSimulatorServer.BotToken.Split(':')[1]);

        var created = await panel.PostFormAsync(company, company + "&handler=ChatCode", new Dictionary<string, string> { ["pickupPointId"] = tenant.KyivPointId.ToString() });
        // Post/redirect/get: the code is at the top of the page redirected to, once.
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        created.Headers.Location!.OriginalString.ShouldBe(company);
        var shown = await panel.GetPageAsync(created.Headers.Location.OriginalString);
        var command = StartCommand().Match(shown);
        command.Success.ShouldBeTrue(shown);
        shown.IndexOf("data-testid=\"chat-code\"", StringComparison.Ordinal).ShouldBeLessThan(shown.IndexOf("data-testid=\"company-tabs\"", StringComparison.Ordinal), "at the top");
        var code = command.Groups[1].Value;
        (await panel.GetPageAsync(company)).ShouldNotContain(code);

        await Telegram.SayAsync(KyivChat, $"/start {code}");
        await Telegram.WaitForMessageAsync(KyivChat, m => m.Text.StartsWith("✅"), "the welcome");
        var chatId = await Factory.WithDbAsync(db => db.TelegramChats.AsNoTracking().Where(c => c.ChatId == KyivChat && c.PickupPointId == tenant.KyivPointId)
            .Select(c => c.Id).SingleAsync());

        var listed = await panel.GetPageAsync(company);
        listed.ShouldContain($"data-chat-id=\"{KyivChat}\"");
        listed.ShouldContain("value=\"ExportFailed\" checked=\"checked\"");

        var edited = await FollowAsync(panel, await panel.PostFormAsync(company, company + "&handler=Chat", new Dictionary<string, string>
        {
            ["chatId"] = chatId.ToString(), ["alerts"] = "FiscalReceiptFailed", ["reports"] = "OnRequest", ["reportAt"] = "22:30",
            ["waitingAlertMinutes"] = "45", ["language"] = "en",
        }));
        edited.ShouldContain("data-testid=\"notice\"");
        edited.ShouldContain("<option value=\"en\" selected=\"selected\">");
        edited.ShouldContain("name=\"waitingAlertMinutes\" value=\"45\"");
        var chat = await Factory.WithDbAsync(db => db.TelegramChats.AsNoTracking().SingleAsync(c => c.Id == chatId));
        chat.Alerts.ShouldBe(AlertKinds.FiscalReceiptFailed);
        chat.Reports.ShouldBe(ReportKinds.OnRequest);
        chat.ReportAtMinute.ShouldBe(22 * 60 + 30);
        chat.WaitingAlertMinutes.ShouldBe(45);
        chat.Language.ShouldBe("en");

        // Not a whole number of minutes: refused by name, nothing changed.
        var refusedMinutes = await FollowAsync(panel, await panel.PostFormAsync(company, company + "&handler=Chat", new Dictionary<string, string>
        {
            ["chatId"] = chatId.ToString(), ["alerts"] = "ExportFailed", ["waitingAlertMinutes"] = "soon",
        }));
        var refusedLanguage = await FollowAsync(panel, await panel.PostFormAsync(company, company + "&handler=Chat", new Dictionary<string, string>
        {
            ["chatId"] = chatId.ToString(), ["alerts"] = "ExportFailed", ["language"] = "de",
        }));
        refusedLanguage.ShouldContain("Language");
        refusedMinutes.ShouldContain("WaitingAlertMinutes");
        var unchanged = await Factory.WithDbAsync(db => db.TelegramChats.AsNoTracking().SingleAsync(c => c.Id == chatId));
        unchanged.WaitingAlertMinutes.ShouldBe(45);
        unchanged.Alerts.ShouldBe(AlertKinds.FiscalReceiptFailed);

        // Support sees the chats, may not change them nor create codes.
        var support = new PanelClient(Factory);
        await support.SignInAsync("bohdan", TestUsers.Password);
        (await support.GetPageAsync(company)).ShouldNotContain("data-testid=\"create-chat-code\"");
        var refused = await support.PostFormAsync(company, company + "&handler=ChatCode", new Dictionary<string, string>());
        refused.Headers.Location!.OriginalString.ShouldContain("/panel/denied");
        (await Factory.WithDbAsync(db => db.TelegramChatCodes.CountAsync())).ShouldBe(1);
    }

    [GeneratedRegex(@"data-testid=""chat-code-command"">/start ([A-Z0-9]{10})<")]
    private static partial Regex StartCommand();

    private static async Task<string> FollowAsync(PanelClient panel, HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return await panel.GetPageAsync(response.Headers.Location!.OriginalString);
    }
}
