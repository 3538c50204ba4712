namespace OrderHub.Simulators;

/// <summary>What the simulated POS systems know: webhook secrets and Poster accounts with their spots and menu.</summary>
public sealed class PosSimulatorOptions
{
    public const string SectionName = "Simulators";

    /// <summary>The <c>whsec_</c> secrets the webhook POS accepts (any of them; rotation).</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>Keep each webhook POS order's body (default); off for long runs that only count orders.</summary>
    public bool KeepWebhookBodies { get; set; } = true;

    public List<SimulatedPosterAccount> PosterAccounts { get; set; } = [];

    /// <summary>Checkbox registers the fiscal simulator knows (license key and cashier PINs).</summary>
    public List<SimulatedCheckboxRegister> CheckboxRegisters { get; set; } = [];

    /// <summary>Cashalot registers the fiscal simulator knows (fiscal number and key password).</summary>
    public List<SimulatedCashalotRegister> CashalotRegisters { get; set; } = [];
}

public sealed class SimulatedPosterAccount
{
    /// <summary>The account name, as in <c>{account}.joinposter.com</c>.</summary>
    public string Account { get; set; } = "";

    /// <summary>The API token, <c>{account_number}:{32 hex}</c>.</summary>
    public string Token { get; set; } = "";

    public string Currency { get; set; } = "UAH";

    /// <summary>Where the account's developer application receives webhooks (OrderHub's <c>/webhooks/poster</c>); none when empty.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The application secret that signs those webhooks (<c>verify</c>).</summary>
    public string? ApplicationSecret { get; set; }

    /// <summary>IANA zone of the account: <c>created_at</c> and the <c>date_from</c>/<c>date_to</c> filters use it.</summary>
    public string TimeZone { get; set; } = "Europe/Kyiv";

    public List<SimulatedSpot> Spots { get; set; } = [];

    /// <summary>The menu; when empty, any product id is accepted.</summary>
    public List<SimulatedProduct> Products { get; set; } = [];
}

public sealed class SimulatedSpot
{
    public long SpotId { get; set; }

    public string Name { get; set; } = "";
}

public sealed class SimulatedProduct
{
    public long ProductId { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Kopecks.</summary>
    public long Price { get; set; }

    /// <summary>Product variants (<c>modificator_id</c>).</summary>
    public List<long> ModificatorIds { get; set; } = [];

    /// <summary>Dish modifiers (<c>modification</c> <c>m</c>).</summary>
    public List<long> DishModificationIds { get; set; } = [];

    /// <summary>Product variants with names and prices (kopecks), as <c>menu.getProducts</c> lists them; their ids count as <see cref="ModificatorIds"/>.</summary>
    public List<SimulatedOption> Variants { get; set; } = [];

    /// <summary>Dish modifiers with names and prices (currency units, as Poster gives them); their ids count as <see cref="DishModificationIds"/>.</summary>
    public List<SimulatedOption> DishModifiers { get; set; } = [];

    /// <summary>Poster's <c>hidden</c> flag: the product is not sold.</summary>
    public bool Hidden { get; set; }

    public IEnumerable<long> AllVariantIds => ModificatorIds.Concat(Variants.Select(v => v.Id));

    public IEnumerable<long> AllDishModifierIds => DishModificationIds.Concat(DishModifiers.Select(v => v.Id));
}

/// <summary>A named variant or dish modifier of a simulated product.</summary>
public sealed class SimulatedOption
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public decimal Price { get; set; }
}

/// <summary>
/// Faults for one target (<c>poster/{account}</c>, <c>pos/{path}</c>) or, with no target, for all targets
/// that have none of their own. Rates are 0..1.
/// </summary>
public sealed record FaultSettings
{
    public string? Target { get; init; }

    /// <summary>Share of calls answered 500.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Share of creates that are stored, then answered only after <see cref="TimeoutDelayMs"/>.</summary>
    public double AcceptThenTimeoutRate { get; init; }

    public int TimeoutDelayMs { get; init; } = 30_000;

    /// <summary>Share of calls answered 429 with <c>Retry-After: RetryAfterSeconds</c>.</summary>
    public double TooManyRequestsRate { get; init; }

    public int RetryAfterSeconds { get; init; } = 30;

    /// <summary>Every call fails: <c>503</c> (default) or <c>drop</c> (connection aborted).</summary>
    public bool Outage { get; init; }

    public string OutageMode { get; init; } = "503";

    public int LatencyMs { get; init; }

    /// <summary>Poster: every call answers this error code.</summary>
    public int? PosterErrorCode { get; init; }

    /// <summary>Poster error body shape: <c>nested</c> (docs) or <c>flat</c>.</summary>
    public string PosterErrorShape { get; init; } = "nested";

    /// <summary>Webhook POS: every call answers this HTTP status (e.g. 410, 400, 403).</summary>
    public int? StatusCode { get; init; }
}

/// <summary>A simulated Checkbox cash register: its license key and the cashiers who may sign in on it.</summary>
public sealed class SimulatedCheckboxRegister
{
    public string LicenseKey { get; set; } = "";

    public List<SimulatedCashier> Cashiers { get; set; } = [];

    /// <summary>Tax codes of the organization (<c>GET /cashier/tax</c>).</summary>
    public List<string> TaxCodes { get; set; } = ["1", "2", "8"];
}

public sealed class SimulatedCashier
{
    public string Name { get; set; } = "";

    public string Pin { get; set; } = "";
}

/// <summary>A simulated Cashalot register (PRRO): its fiscal number and the password of its key.</summary>
public sealed class SimulatedCashalotRegister
{
    public string NumFiscal { get; set; } = "";

    public string Password { get; set; } = "";
}
