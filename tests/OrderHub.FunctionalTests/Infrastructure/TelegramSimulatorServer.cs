using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Simulators;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>The Telegram Bot API simulator on a real Kestrel server on 127.0.0.1, one per test; tests talk to it over HTTP.</summary>
public sealed class TelegramSimulatorServer : IAsyncDisposable
{
    public const string BotToken = "7012345678:AAH-functional_tests-bot-token-0123456789";

    private WebApplication? _app;

    public TelegramSimulator Simulator { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>What OrderHub's <c>Telegram:ApiBaseUrl</c> points at.</summary>
    public string ApiBaseUrl => BaseUrl + "/telegram";

    public HttpClient Control { get; private set; } = null!;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        Simulator = _app.MapTelegramSimulator("", [BotToken]);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Control = new HttpClient { BaseAddress = new Uri(BaseUrl + "/telegram/control/") };
    }

    /// <summary>A user types <paramref name="text"/> in the chat (queued for getUpdates, or pushed to the webhook).</summary>
    public async Task SayAsync(long chatId, string text, string title = "Managers")
    {
        var response = await Control.PostAsJsonAsync("messages", new InjectedTelegramMessage(BotToken, chatId, text, chatId < 0 ? "group" : "private", title));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A user presses an inline button with <paramref name="data"/> in the chat.</summary>
    public async Task PressAsync(long chatId, string data)
    {
        var response = await Control.PostAsJsonAsync("callbacks", new InjectedTelegramCallback(BotToken, chatId, data));
        response.EnsureSuccessStatusCode();
    }

    public async Task FaultsAsync(TelegramFaults faults) => (await Control.PostAsJsonAsync("faults", faults)).EnsureSuccessStatusCode();

    public async Task MigrateAsync(long from, long to) =>
        (await Control.PostAsJsonAsync("migrate", new TelegramSimulatorEndpoints.ChatMigration(from, to))).EnsureSuccessStatusCode();

    /// <summary>What the bot sent to the chat, read over HTTP.</summary>
    public async Task<IReadOnlyList<SentMessage>> MessagesAsync(long chatId) =>
        await Control.GetFromJsonAsync<List<SentMessage>>($"messages?chatId={chatId}") ?? [];

    /// <summary>Waits until the chat has a message matching <paramref name="match"/>; returns it.</summary>
    public async Task<SentMessage> WaitForMessageAsync(long chatId, Func<SentMessage, bool> match, string what, int timeoutMs = 15_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var found = (await MessagesAsync(chatId)).FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > until)
            {
                var texts = string.Join("\n---\n", (await MessagesAsync(chatId)).Select(m => m.Text));
                throw new ShouldAssertException($"Chat {chatId} got no message: {what}. It got:\n{texts}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Control?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public sealed record SentMessage(long MessageId, long ChatId, string Text, string? ParseMode, System.Text.Json.JsonElement? ReplyMarkup);
}
