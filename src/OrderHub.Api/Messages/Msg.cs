using System.Text.Json;

namespace OrderHub.Api.Messages;

/// <summary>
/// A message as data: a <see cref="MessageCatalog"/> key and its named arguments, rendered at display time in the
/// reader's language. Argument values are already text (ids, names, numbers, UTC times); those that are words
/// themselves are other keys, passed with <see cref="Term"/> and rendered in the same language.
/// </summary>
public sealed record Msg(string Key, IReadOnlyDictionary<string, string> Args)
{
    /// <summary>Marks an argument value that is itself a catalog key (e.g. <c>term.saleReceipt</c>).</summary>
    public const string TermPrefix = "@";

    public static Msg Of(string key, params (string Name, object? Value)[] args) =>
        new(key, args.ToDictionary(a => a.Name, a => Convert.ToString(a.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal));

    /// <summary>An argument value rendered from the catalog in the reader's language.</summary>
    public static string Term(string key) => TermPrefix + key;

    /// <summary>This message with argument <paramref name="name"/> rendered from <paramref name="inner"/>, whose arguments join this message's.</summary>
    public Msg With(string name, Msg? inner)
    {
        var args = new Dictionary<string, string>(Args, StringComparer.Ordinal);
        if (inner is null)
        {
            args[name] = "";
            return new Msg(Key, args);
        }

        foreach (var (key, value) in inner.Args)
        {
            args.TryAdd(key, value);
        }

        args[name] = Term(inner.Key);
        return new Msg(Key, args);
    }

    /// <summary>An outside system's sentence as data (<see cref="Integrations.Pos.MessageRef"/>), or null.</summary>
    public static Msg? From(Integrations.Pos.MessageRef? message) => message is null ? null : new(message.Key, message.Args);

    public string ArgsJson() => JsonSerializer.Serialize(Args, MessageCatalog.ArgsJsonOptions);

    /// <summary>
    /// The message as a row stores it: its English, cut to <paramref name="max"/> characters, and its key and
    /// arguments when the arguments fit in <paramref name="max"/> (a provider's long answer may not: then the stored
    /// English is what there is).
    /// </summary>
    public (string English, string? Key, string? Args) Stored(int max)
    {
        var english = MessageCatalog.Render(this, MessageCatalog.English);
        var args = ArgsJson();
        var fits = args.Length <= max;
        return (english.Length <= max ? english : english[..(max - 1)] + "…", fits ? Key : null, fits ? args : null);
    }
}
