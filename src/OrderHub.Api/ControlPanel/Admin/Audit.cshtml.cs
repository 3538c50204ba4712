using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OrderHub.Api.Features.Audit;
using OrderHub.Api.Features.Orders;

namespace OrderHub.Api.ControlPanel.Admin;

/// <summary>The audit log (GetAuditEntriesQuery): who changed which setting or mapping, when, before and after (secrets masked).</summary>
public sealed class AuditModel(IMediator mediator, IAuthorizationService authorization) : PanelPageModel(mediator, authorization)
{
    [BindProperty(SupportsGet = true)]
    public string? EntityType { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Page<AuditEntryDto> Entries { get; private set; } = new([], 1, 50, 0);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Entries = await Mediator.Send(new GetAuditEntriesQuery
        {
            EntityType = string.IsNullOrWhiteSpace(EntityType) ? null : EntityType,
            Actor = string.IsNullOrWhiteSpace(Actor) ? null : Actor,
            Page = Math.Max(1, PageNumber),
            PageSize = 50,
        }, cancellationToken);

    /// <summary>One changed field: its name, the old and the new value as text; a masked secret has neither, only "changed".</summary>
    public sealed record FieldChange(string Field, string? Old, string? New, bool Secret);

    /// <summary>
    /// The fields that differ between the two snapshots, in the snapshot's order (a created row lists every field with
    /// no old value, a deleted one every field with no new value). Values are shown as text with real Cyrillic.
    /// </summary>
    public static IReadOnlyList<FieldChange> Diff(JsonElement? before, JsonElement? after)
    {
        var old = Fields(before);
        var @new = Fields(after);
        var changes = new List<FieldChange>();
        foreach (var name in old.Keys.Concat(@new.Keys).Distinct(StringComparer.Ordinal))
        {
            old.TryGetValue(name, out var was);
            @new.TryGetValue(name, out var now);
            if (was?.Raw == now?.Raw && before is not null && after is not null)
            {
                continue;
            }

            var secret = was?.Text == Masked || now?.Text == Masked;
            changes.Add(new FieldChange(name, secret ? null : was?.Text, secret ? null : now?.Text, secret));
        }

        return changes;
    }

    /// <summary>The thing an entry is about, by its name when the snapshot has one, else by the point or company it is keyed by.</summary>
    public static string? NameOf(AuditEntryDto entry) =>
        (Fields(entry.After).GetValueOrDefault("name") ?? Fields(entry.Before).GetValueOrDefault("name")
         ?? Fields(entry.After).GetValueOrDefault("loginName") ?? Fields(entry.Before).GetValueOrDefault("loginName"))?.Text
        ?? entry.SubjectName;

    private const string Masked = "***";

    private sealed record Field(string Raw, string Text);

    private static Dictionary<string, Field> Fields(JsonElement? snapshot)
    {
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        if (snapshot is not { ValueKind: JsonValueKind.Object } element)
        {
            return fields;
        }

        foreach (var property in element.EnumerateObject())
        {
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Null => "—",
                _ => Orders.DetailsModel.Readable(property.Value.GetRawText()),
            };
            fields[property.Name] = new Field(property.Value.GetRawText(), text);
        }

        return fields;
    }
}
