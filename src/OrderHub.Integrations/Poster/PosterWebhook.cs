using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OrderHub.Integrations.Poster;

/// <summary>
/// A webhook from Poster: <c>{account, account_number, object, object_id, action, time, data?, verify}</c>.
/// <see cref="Data"/> is the raw string Poster sent (it signs that string, not a re-serialised object).
/// </summary>
public sealed record PosterWebhook(
    string Account,
    string? AccountNumber,
    string Object,
    string ObjectId,
    string Action,
    string Time,
    string? Data,
    string Verify)
{
    /// <summary><c>incoming_order</c> <c>changed</c>: a cashier accepted or rejected an online order; read it back.</summary>
    public bool IsIncomingOrderChange => Object == "incoming_order" && Action == "changed";
}

/// <summary>Reads Poster's webhook body leniently (ids and times may be numbers or strings).</summary>
public static class PosterWebhookParser
{
    /// <summary>The webhook, or null when a required field is missing or the body is not a JSON object.</summary>
    public static PosterWebhook? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            // A property written twice is refused, not "last one wins" (the signature covers only one reading).
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var account = Text(root, "account");
            var obj = Text(root, "object");
            var objectId = Text(root, "object_id");
            var action = Text(root, "action");
            var time = Text(root, "time");
            var verify = Text(root, "verify");
            if (account is null || obj is null || objectId is null || action is null || time is null || verify is null)
            {
                return null;
            }

            string? data = null;
            if (root.TryGetProperty("data", out var dataElement))
            {
                data = dataElement.ValueKind switch
                {
                    JsonValueKind.String => dataElement.GetString(),
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    _ => dataElement.GetRawText(),
                };
            }

            return new PosterWebhook(account, Text(root, "account_number"), obj, objectId, action, time, string.IsNullOrEmpty(data) ? null : data, verify);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? PosterReply.ReadString(value) : null;
}

/// <summary>
/// Poster's webhook signature: <c>verify = md5(account;object;object_id;action;[data;]time;application_secret)</c>,
/// data only when present. Compared in constant time.
/// </summary>
public static class PosterWebhookVerifier
{
    public static string Compute(PosterWebhook hook, string applicationSecret)
    {
        var parts = new List<string> { hook.Account, hook.Object, hook.ObjectId, hook.Action };
        if (hook.Data is not null)
        {
            parts.Add(hook.Data);
        }

        parts.Add(hook.Time);
        parts.Add(applicationSecret);

        // MD5 is Poster's choice, not ours; it only authenticates the hook together with the secret.
#pragma warning disable CA5351
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(string.Join(';', parts))));
#pragma warning restore CA5351
    }

    public static bool Verify(PosterWebhook hook, string applicationSecret)
    {
        if (string.IsNullOrEmpty(applicationSecret))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(hook, applicationSecret));
        var actual = Encoding.ASCII.GetBytes(hook.Verify.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
