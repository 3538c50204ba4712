using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrderHub.Simulators;

/// <summary>One receipt a simulated fiscal provider fiscalized (or holds, Checkbox, until it is polled).</summary>
public sealed class SimulatedReceipt
{
    public required string Provider { get; init; }

    /// <summary>Checkbox: the client's <c>id</c>; Cashalot: <c>CHECKHEAD.UID</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The register: Checkbox license key's last 4 characters, Cashalot <c>NumFiscal</c>.</summary>
    public required string Register { get; init; }

    public required bool IsReturn { get; init; }

    public string? RelatedId { get; init; }

    public required string FiscalCode { get; init; }

    public required DateTimeOffset FiscalDate { get; init; }

    /// <summary>Checkbox: CREATED until polled <see cref="FiscalSimulatorSettings.PollsBeforeDone"/> times, then DONE.</summary>
    public string Status { get; set; } = "CREATED";

    public int Polls { get; set; }

    public required JsonNode Body { get; init; }

    public List<string> Copies { get; } = [];

    /// <summary>Cashalot: the register's local number of this document.</summary>
    public long LocalNumber { get; init; }
}

/// <summary>Fault injection and behaviour of one simulated fiscal provider (<c>POST /control/fiscal/{provider}</c>).</summary>
public sealed record FiscalSimulatorSettings
{
    /// <summary>Answer 503 to everything.</summary>
    public bool Outage { get; init; }

    /// <summary>Answer 500 to everything.</summary>
    public bool ServerError { get; init; }

    /// <summary>Store the receipt, then answer only after <see cref="TimeoutDelayMs"/> (after the client gave up).</summary>
    public bool AcceptThenTimeout { get; init; }

    public int TimeoutDelayMs { get; init; } = 5_000;

    /// <summary>
    /// A sale is lost before it is stored (nothing fiscalized), and the answer comes only after the client gave
    /// up: a timeout after which the receipt is absent.
    /// </summary>
    public bool DropThenTimeout { get; init; }

    /// <summary>
    /// Read-backs are refused: Cashalot <c>DocumentInfoByLocalNum</c> and <c>GetCheck</c> answer an error code,
    /// Checkbox <c>GET /receipts/{id}</c> answers 403. Sales and the register state still work.
    /// </summary>
    public bool RefuseLookups { get; init; }

    /// <summary>Checkbox: status polls a receipt stays CREATED before it is DONE.</summary>
    public int PollsBeforeDone { get; init; } = 1;

    /// <summary>Checkbox: a receipt ends in ERROR with this message instead of DONE.</summary>
    public string? FiscalizationError { get; init; }
}

/// <summary>The state of the simulated Checkbox and Cashalot providers, thread-safe.</summary>
public sealed class FiscalSimulator(PosSimulatorOptions options, TimeProvider time)
{
    private readonly object gate = new();
    private readonly List<SimulatedReceipt> receipts = [];
    private readonly Dictionary<string, FiscalSimulatorSettings> settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> tokens = [];
    private readonly HashSet<string> openShifts = [];
    private readonly List<string> shiftLog = [];
    private readonly Dictionary<string, long> nextLocal = [];
    private readonly List<JsonNode> calls = [];
    private long nextFiscal = 1_000;

    public PosSimulatorOptions Options => options;

    public TimeProvider Time => time;

    public FiscalSimulatorSettings Settings(string provider)
    {
        lock (gate)
        {
            return settings.TryGetValue(provider, out var s) ? s : new FiscalSimulatorSettings();
        }
    }

    public void SetSettings(string provider, FiscalSimulatorSettings value)
    {
        lock (gate)
        {
            settings[provider] = value;
        }
    }

    public IReadOnlyList<SimulatedReceipt> Receipts(string? provider = null)
    {
        lock (gate)
        {
            return receipts.Where(r => provider is null || r.Provider == provider).ToList();
        }
    }

    /// <summary>Shift events: "open register", "close register (Z)".</summary>
    public IReadOnlyList<string> ShiftLog()
    {
        lock (gate)
        {
            return shiftLog.ToList();
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            receipts.Clear();
            settings.Clear();
            tokens.Clear();
            openShifts.Clear();
            shiftLog.Clear();
            nextLocal.Clear();
            calls.Clear();
        }
    }

    /// <summary>Cashalot: every command body received, in order (the key material included, as sent).</summary>
    public IReadOnlyList<JsonNode> Calls()
    {
        lock (gate)
        {
            return calls.Select(c => c.DeepClone()).ToList();
        }
    }

    internal void LogCall(JsonNode body)
    {
        lock (gate)
        {
            calls.Add(body.DeepClone());
        }
    }

    /// <summary>Cashalot: the local number the register's next document gets (shifts, Z reports and checks count).</summary>
    internal long NextLocal(string register)
    {
        lock (gate)
        {
            return nextLocal.GetValueOrDefault(register, 1);
        }
    }

    /// <summary>Cashalot: a document other than a check (a shift opened or closed) takes the next local number.</summary>
    public void TakeLocal(string register)
    {
        lock (gate)
        {
            nextLocal[register] = nextLocal.GetValueOrDefault(register, 1) + 1;
        }
    }

    /// <summary>Cashalot: the check the register holds under <paramref name="local"/>, or null.</summary>
    internal SimulatedReceipt? FindByLocal(string provider, string register, long local)
    {
        lock (gate)
        {
            return receipts.FirstOrDefault(r => r.Provider == provider && r.Register == register && r.LocalNumber == local);
        }
    }

    internal string IssueToken(string register)
    {
        var token = "sim_" + Guid.NewGuid().ToString("N");
        lock (gate)
        {
            tokens[token] = register;
        }

        return token;
    }

    internal string? RegisterOfToken(string token)
    {
        lock (gate)
        {
            return tokens.GetValueOrDefault(token);
        }
    }

    /// <summary>Makes a signed-in token stale (Checkbox answers 401 base.credentials).</summary>
    public void ExpireTokens()
    {
        lock (gate)
        {
            tokens.Clear();
        }
    }

    internal bool IsShiftOpen(string register)
    {
        lock (gate)
        {
            return openShifts.Contains(register);
        }
    }

    internal bool OpenShift(string register)
    {
        lock (gate)
        {
            shiftLog.Add($"open {register}");
            return openShifts.Add(register);
        }
    }

    internal bool CloseShift(string register)
    {
        lock (gate)
        {
            shiftLog.Add($"close {register}");
            return openShifts.Remove(register);
        }
    }

    internal SimulatedReceipt? Find(string provider, string id)
    {
        lock (gate)
        {
            return receipts.FirstOrDefault(r => r.Provider == provider && r.Id == id);
        }
    }

    internal SimulatedReceipt? FindByFiscalCode(string provider, string fiscalCode)
    {
        lock (gate)
        {
            return receipts.FirstOrDefault(r => r.Provider == provider && r.FiscalCode == fiscalCode);
        }
    }

    internal SimulatedReceipt Add(string provider, string id, string register, bool isReturn, string? relatedId, JsonNode body)
    {
        lock (gate)
        {
            long local = 0;
            if (provider == CashalotSimulatorEndpoints.Provider)
            {
                local = nextLocal.GetValueOrDefault(register, 1);
                nextLocal[register] = local + 1;
            }

            var receipt = new SimulatedReceipt
            {
                LocalNumber = local,
                Provider = provider,
                Id = id,
                Register = register,
                IsReturn = isReturn,
                RelatedId = relatedId,
                FiscalCode = (++nextFiscal).ToString(System.Globalization.CultureInfo.InvariantCulture),
                FiscalDate = time.GetUtcNow(),
                Body = body,
            };
            receipts.Add(receipt);
            return receipt;
        }
    }

    internal void AddCopy(SimulatedReceipt receipt, string to)
    {
        lock (gate)
        {
            receipt.Copies.Add(to);
        }
    }

    /// <summary>An outage or server error to answer instead, or null.</summary>
    internal IResult? Fault(string provider)
    {
        var s = Settings(provider);
        if (s.Outage)
        {
            return Results.Text("Service Unavailable (simulated outage)", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return s.ServerError ? Results.Text("Internal Server Error (simulated)", statusCode: StatusCodes.Status500InternalServerError) : null;
    }

    /// <summary>Accept-then-time-out: the receipt is stored; the answer comes after the client gave up.</summary>
    internal static async Task DelayIfAskedAsync(HttpContext http, FiscalSimulatorSettings s)
    {
        if (!s.AcceptThenTimeout && !s.DropThenTimeout)
        {
            return;
        }

        try
        {
            await Task.Delay(s.TimeoutDelayMs, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as intended.
        }
    }

    public static void MapControl(IEndpointRouteBuilder group, FiscalSimulator fiscal)
    {
        group.MapPost("/control/fiscal/{provider}", (string provider, FiscalSimulatorSettings body) =>
        {
            fiscal.SetSettings(provider, body);
            return Results.Ok(body);
        });
        group.MapGet("/control/fiscal/{provider}/receipts", (string provider) => Results.Ok(fiscal.Receipts(provider).Select(r => new
        {
            r.Id, r.Register, r.IsReturn, r.RelatedId, r.FiscalCode, r.FiscalDate, r.Status, r.Body, r.Copies, r.LocalNumber,
        })));
        group.MapGet("/control/fiscal/shifts", () => Results.Ok(fiscal.ShiftLog()));
        group.MapGet("/control/fiscal/cashalot/commands", () => Results.Ok(fiscal.Calls()));
    }
}
