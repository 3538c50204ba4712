using System.Text.Json;
using System.Text.Json.Nodes;
using OrderHub.Api.Persistence;
using OrderHub.Domain.Auditing;

namespace OrderHub.Api.Security;

/// <summary>
/// Adds audit entries to a context, to be written by the caller's own <c>SaveChanges</c> (so the entry and the
/// change commit together or not at all). Entities listed in <c>Auditing.AuditedEntities</c> are recorded by
/// <c>AuditInterceptor</c> without any call; <see cref="Record"/> is for changes that are not a row's
/// columns (a user's companies, a sign-in lockout, an explicit override).
/// </summary>
public sealed class AuditTrail(IHttpContextAccessor http, TimeProvider time)
{
    /// <summary>What a secret's value becomes in before/after: present, or changed by this very change.</summary>
    public const string SecretMask = "***";
    public const string SecretChanged = "secret changed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>
    /// Adds one entry. <paramref name="before"/> and <paramref name="after"/> are serialized as JSON; any member
    /// whose name says it is a secret (password, secret, token, hash, …Protected) is masked.
    /// <paramref name="actor"/> defaults to the caller of the current request (<c>user:{name}</c>).
    /// </summary>
    public AuditEntry Record(
        OrderHubDbContext db, string entityType, string entityId, Guid? companyId, string action, object? before, object? after,
        string? actor = null, Guid? actorUserId = null)
    {
        var (currentActor, currentUserId) = CurrentActor();
        var entry = new AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = Clip(actor ?? currentActor, 128),
            ActorUserId = actor is null ? currentUserId : actorUserId,
            EntityType = entityType,
            EntityId = entityId,
            CompanyId = companyId,
            Action = action,
            Before = ToJson(before),
            After = ToJson(after),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>The caller of the current request, <c>anonymous</c> when not signed in, <c>system</c> outside a request.</summary>
    public (string Actor, Guid? UserId) CurrentActor() => http.HttpContext?.User switch
    {
        null => ("system", null),
        { Identity.IsAuthenticated: true } user => (user.Actor(), user.UserId()),
        _ => ("anonymous", null),
    };

    public static bool IsSecretName(string name) =>
        !name.StartsWith("has", StringComparison.OrdinalIgnoreCase) && (name.Contains("password", StringComparison.OrdinalIgnoreCase) || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || name.Contains("token", StringComparison.OrdinalIgnoreCase) || name.Contains("hash", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Protected", StringComparison.OrdinalIgnoreCase));

    private static string? ToJson(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var node = value as JsonNode ?? JsonSerializer.SerializeToNode(value, value.GetType(), Json);
        Mask(node);
        return node?.ToJsonString(Json);
    }

    private static void Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (IsSecretName(name) && child is JsonValue v && !(v.TryGetValue<string>(out var s) && s is SecretMask or SecretChanged))
                    {
                        obj[name] = SecretMask;
                    }
                    else
                    {
                        Mask(child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Mask(child);
                }

                break;
        }
    }

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];
}
