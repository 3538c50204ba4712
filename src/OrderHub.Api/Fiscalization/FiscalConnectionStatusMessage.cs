using OrderHub.Api.Messages;
using OrderHub.Domain.Fiscal;

namespace OrderHub.Api.Fiscalization;

/// <summary>
/// A fiscal connection's last status sentence (after a check or a failed receipt) as data: a catalog key with its
/// arguments, and today's English beside it for rows an older build reads; shown in the reader's language.
/// </summary>
public static class FiscalConnectionStatusMessage
{
    public static void Set(FiscalConnection connection, FiscalConnectionStatus status, Msg? message)
    {
        connection.Status = status;
        (connection.StatusMessage, connection.StatusMessageKey, connection.StatusMessageArgs) = message?.Stored(Persistence.Configurations.Limits.Text) ?? default;
    }

    /// <summary>The stored status in <paramref name="language"/>: from its key when it has one, else as stored.</summary>
    public static string? In(FiscalConnection connection, string language) =>
        connection.StatusMessage is null ? null : MessageCatalog.Render(connection.StatusMessageKey, connection.StatusMessageArgs, connection.StatusMessage, language);
}
