using OrderHub.FunctionalTests.Intake;

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>
/// OrderHub with the receipt worker on, pointed at the Checkbox and Cashalot simulators (a fresh simulator host
/// per test), polling fast so a receipt is fiscalized within a test's patience.
/// </summary>
public abstract class FiscalTestBase(ITestDatabase database) : ProviderTestBase(database)
{
    /// <summary>A register fiscal number (ФН ПРРО) the simulators accept.</summary>
    protected const string CheckboxFiscalNumber = "4000000017";

    /// <summary>A personal tax number (РНОКПП) with a valid check digit: the most common mistake.</summary>
    protected const string PersonalTaxNumber = "3012345670";

    protected PosSimulatorServer Sim { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Fiscal:WorkerEnabled"] = "true",
        ["Fiscal:PollInterval"] = "00:00:00.100",
        ["Fiscal:StatusPollInterval"] = "00:00:00",
        // Long enough that an ordinary call on a loaded machine is not cut off as ambiguous; the timeout tests hold the answer longer.
        ["Fiscal:AttemptTimeout"] = "00:00:05",
        ["Fiscal:CheckboxBaseUrl"] = Sim.CheckboxBaseUrl,
        ["Fiscal:CashalotUrl"] = Sim.CashalotUrl,
    };

    public override async Task InitializeAsync()
    {
        await Sim.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Sim.DisposeAsync();
    }
}
