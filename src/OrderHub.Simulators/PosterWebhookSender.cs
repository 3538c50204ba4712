using System.Net.Http.Json;
using OrderHub.Integrations.Poster;

namespace OrderHub.Simulators;

/// <summary>Sends a Poster webhook as Poster does: a JSON body with <c>verify</c> = md5 over its fields and the application secret.</summary>
public static class PosterWebhookSender
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Returns the receiver's HTTP status, or 0 when it could not be reached.</summary>
    public static async Task<int> SendAsync(
        SimulatedPosterAccount account, string obj, string objectId, string action, TimeProvider time, CancellationToken cancellationToken)
    {
        var accountNumber = account.Token.Split(':')[0];
        var unix = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var hook = new PosterWebhook(account.Account, accountNumber, obj, objectId, action, unix, null, "");
        var verify = PosterWebhookVerifier.Compute(hook, account.ApplicationSecret!);
        try
        {
            using var response = await Http.PostAsJsonAsync(account.WebhookUrl, new
            {
                account = account.Account,
                account_number = accountNumber,
                @object = obj,
                object_id = objectId,
                action,
                time = unix,
                verify,
            }, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}
