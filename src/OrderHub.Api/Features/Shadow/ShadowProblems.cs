using OrderHub.Api.Messages;
using OrderHub.Domain.History;

namespace OrderHub.Api.Features.Shadow;

/// <summary>What a shadow run can find wrong with the request a point would send to its POS.</summary>
public enum ShadowProblemKind
{
    /// <summary>A product's POS id is not in the imported POS catalog.</summary>
    UnknownProduct,

    /// <summary>A variant's POS id (Poster modificator) is not in the imported POS catalog.</summary>
    UnknownVariant,

    /// <summary>A modifier's POS id (Poster dish modification) is not in the imported POS catalog.</summary>
    UnknownModifier,

    /// <summary>A promotion's POS id is not in the imported POS catalog.</summary>
    UnknownPromotion,

    /// <summary>The POS catalog prices an item differently from the order.</summary>
    PriceDifference,

    /// <summary>The POS client would refuse to send the request at all (e.g. a non-numeric Poster id).</summary>
    RequestInvalid,

    /// <summary>No POS catalog was imported for the point: ids and prices could not be checked.</summary>
    NoPosCatalog,

    /// <summary>An item has no external id: the order would stop in NeedsMapping (readiness counts these too).</summary>
    MissingExternalId,
}

/// <summary>One problem of one shadow run, as stored in the history row's details (message as data).</summary>
public sealed record ShadowProblem(
    ShadowProblemKind Kind,
    string? PosId,
    string? Name,
    decimal? OrderPrice,
    decimal? PosPrice,
    string MessageKey,
    IReadOnlyDictionary<string, string> MessageArgs)
{
    public Msg Message => new(MessageKey, MessageArgs);
}

/// <summary>Titles, fixes and fix links of each <see cref="ShadowProblemKind"/>.</summary>
public static class ShadowProblemTexts
{
    public static Msg Title(ShadowProblemKind kind) => Msg.Of("shadow.kind." + kind);

    public static Msg Fix(ShadowProblemKind kind, string point) => Msg.Of("shadow.fix." + kind, ("point", point));

    /// <summary>Where in the panel the fix is made.</summary>
    public static string FixUrl(ShadowProblemKind kind, Guid pointId) => kind switch
    {
        ShadowProblemKind.NoPosCatalog or ShadowProblemKind.MissingExternalId or ShadowProblemKind.PriceDifference => $"/panel/points/{pointId}/coverage",
        _ => $"/panel/points/{pointId}/mappings",
    };

    /// <summary>The history row's typed reason for a run's first problem; none for a price difference (no reason says it, and TotalMismatch means Dots' own sum).</summary>
    public static FailureReason? Reason(ShadowProblemKind kind) => kind switch
    {
        ShadowProblemKind.UnknownProduct => FailureReason.PosProductNotFound,
        ShadowProblemKind.UnknownVariant or ShadowProblemKind.UnknownModifier => FailureReason.PosModificationNotFound,
        ShadowProblemKind.UnknownPromotion or ShadowProblemKind.RequestInvalid => FailureReason.PosRequestInvalid,
        ShadowProblemKind.MissingExternalId => FailureReason.MissingExternalId,
        _ => null,
    };
}
